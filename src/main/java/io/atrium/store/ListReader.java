package io.atrium.store;

import io.atrium.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Lists a user needs and had none of: chat sessions and agent suggestions, newest first, filterable, paged by id
 * ({@code cursor}: the last id of the page before). On the read pool.
 */
final class ListReader {
  private static final Set<String> SUGGESTION_KINDS = Set.of("decompose", "tag");
  private static final Set<String> SUGGESTION_STATUSES = Set.of("todo", "done", "error");

  private final Pool readers;

  ListReader(Pool readers) {
    this.readers = readers;
  }

  /** {task_id?, resource_id?, limit, cursor} → {sessions: [{session_id, title, task_id, resource_id, created_at, updated_at, message_count}], next_cursor}. */
  Future<JsonObject> chatSessions(JsonObject body) {
    StringBuilder sql = new StringBuilder("SELECT s.id, s.title, s.task_id, s.resource_id, s.created_at, s.updated_at, "
        + "(SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.id) AS message_count FROM chat_sessions s WHERE s.id < ?");
    List<Object> params = new ArrayList<>(List.of(before(body)));
    equal(sql, params, "s.task_id", body.getLong("task_id"));
    equal(sql, params, "s.resource_id", body.getLong("resource_id"));
    return page(sql, params, body.getInteger("limit"), "sessions", row -> new JsonObject()
        .put("session_id", row.getLong("id"))
        .put("title", row.getString("title"))
        .put("task_id", row.getLong("task_id"))
        .put("resource_id", row.getLong("resource_id"))
        .put("created_at", row.getString("created_at"))
        .put("updated_at", row.getString("updated_at"))
        .put("message_count", row.getLong("message_count")));
  }

  /** {kind?, status?, task_id?, resource_id?, limit, cursor} → {suggestions: [as atrium.agent.suggestion.get], next_cursor}. */
  Future<JsonObject> suggestions(JsonObject body) {
    String kind = body.getString("kind");
    String status = body.getString("status");
    if (kind != null && !SUGGESTION_KINDS.contains(kind)) {
      return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("kind must be one of " + SUGGESTION_KINDS, "kind"));
    }
    if (status != null && !SUGGESTION_STATUSES.contains(status)) {
      return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("status must be one of " + SUGGESTION_STATUSES, "status"));
    }
    StringBuilder sql = new StringBuilder("SELECT " + ResourceReader.SUGGESTION_COLUMNS + " FROM agent_suggestions WHERE id < ?");
    List<Object> params = new ArrayList<>(List.of(before(body)));
    equal(sql, params, "kind", kind);
    equal(sql, params, "status", status);
    equal(sql, params, "task_id", body.getLong("task_id"));
    equal(sql, params, "resource_id", body.getLong("resource_id"));
    return page(sql, params, body.getInteger("limit"), "suggestions", ResourceReader::suggestionOf);
  }

  private static long before(JsonObject body) {
    long cursor = body.getLong("cursor", 0L);
    return cursor == 0 ? Long.MAX_VALUE : cursor;
  }

  private static void equal(StringBuilder sql, List<Object> params, String column, Object value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = ?");
      params.add(value);
    }
  }

  private Future<JsonObject> page(StringBuilder sql, List<Object> params, int limit, String field,
      Function<Row, JsonObject> shape) {
    sql.append(" ORDER BY 1 DESC LIMIT ?"); // the first column is each list's id
    params.add(limit + 1);
    return readers.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> Pages.of(rows, limit, field, shape));
  }
}
