package io.atrium.store;

import io.atrium.bus.ErrorCode;
import io.atrium.sqlite.SqliteWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Agent suggestions on the writer's thread: a row is created as {@code todo} and later finished once. */
final class SuggestionStore {
  private final SqliteWriter writer;

  SuggestionStore(SqliteWriter writer) {
    this.writer = writer;
  }

  /** {kind, task_id?, resource_id?, provider, model} → {id}; or, with an id, {status, suggested_*?, attempts, last_error?}. */
  JsonObject save(JsonObject body) throws SQLException {
    Long id = body.getLong("id");
    if (id == null) {
      PreparedStatement insert = writer.prepare("INSERT INTO agent_suggestions (kind, task_id, resource_id, status, "
          + "provider, model) VALUES (?, ?, ?, 'todo', ?, ?) RETURNING id");
      SqliteWriter.bind(insert, required(body, "kind"), body.getLong("task_id"), body.getLong("resource_id"),
          required(body, "provider"), required(body, "model"));
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return new JsonObject().put("id", rows.getLong(1));
      }
    }
    int changed = writer.update("UPDATE agent_suggestions SET status = ?, suggested_subtasks = ?, suggested_tags = ?, "
            + "attempts = ?, last_error = ?, updated_at = " + ResourceStore.NOW + " WHERE id = ?",
        required(body, "status"), encoded(body.getJsonArray("suggested_subtasks")), encoded(body.getJsonArray("suggested_tags")),
        body.getInteger("attempts", 0), body.getString("last_error"), id);
    if (changed == 0) {
      throw ErrorCode.NOT_FOUND.exception("suggestion " + id + " does not exist", "id");
    }
    return new JsonObject().put("id", id);
  }

  private static String encoded(JsonArray array) {
    return array == null ? null : array.encode();
  }

  private static String required(JsonObject body, String field) {
    String value = body.getString(field);
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }
}
