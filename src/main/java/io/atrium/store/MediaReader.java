package io.atrium.store;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.bus.MediaFile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** Media file reads on the read pool: lists by status and single files, in the API's shape. */
final class MediaReader {
  private static final String COLUMNS = String.join(", ", MediaFile.COLUMNS);

  private final Pool readers;

  MediaReader(Pool readers) {
    this.readers = readers;
  }

  /** {status?, limit?, offset?} → {files, total}. */
  Future<JsonObject> list(JsonObject body) {
    String status = Fields.optionalString(body, "status", 32);
    int limit = Math.max(1, Math.min(1000, body.getInteger("limit", 100)));
    int offset = Math.max(0, body.getInteger("offset", 0));
    String where = status == null ? "" : " WHERE status = ?";
    Tuple filter = status == null ? Tuple.tuple() : Tuple.of(status);
    Future<RowSet<Row>> page = readers.preparedQuery("SELECT " + COLUMNS + " FROM media_files" + where
        + " ORDER BY id LIMIT " + limit + " OFFSET " + offset).execute(filter);
    Future<RowSet<Row>> total = readers.preparedQuery("SELECT COUNT(*) AS n FROM media_files" + where)
        .execute(filter);
    return Future.all(page, total).map(both -> {
      JsonArray files = new JsonArray();
      page.result().forEach(row -> files.add(json(row)));
      return new JsonObject().put("files", files).put("total", total.result().iterator().next().getLong("n"))
          .put("limit", limit).put("offset", offset);
    });
  }

  Future<JsonObject> get(long id) {
    return readers.preparedQuery("SELECT " + COLUMNS + " FROM media_files WHERE id = ?").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ErrorCode.NOT_FOUND.exception("media file " + id + " does not exist", "id"))
            : Future.succeededFuture(json(rows.iterator().next())));
  }

  private static JsonObject json(Row row) {
    JsonObject columns = new JsonObject();
    MediaFile.COLUMNS.forEach(column -> columns.put(column, row.getValue(column)));
    return MediaFile.fromJson(columns).toJson();
  }
}
