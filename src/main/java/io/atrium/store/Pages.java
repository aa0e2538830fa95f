package io.atrium.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.function.Function;

/**
 * A page of a list read with {@code LIMIT limit + 1}: the rows shaped, and {@code next_cursor} (the last shown row's
 * id) only when a further row shows there is more. The paging rule of the requests is {@code bus.Pages}.
 */
final class Pages {
  private Pages() {
  }

  static JsonObject of(Iterable<Row> rows, int limit, String field, Function<Row, JsonObject> shape) {
    JsonArray items = new JsonArray();
    Long last = null;
    for (Row row : rows) {
      if (items.size() == limit) {
        return new JsonObject().put(field, items).put("next_cursor", String.valueOf(last));
      }
      items.add(shape.apply(row));
      last = row.getLong("id");
    }
    return new JsonObject().put(field, items).putNull("next_cursor");
  }
}
