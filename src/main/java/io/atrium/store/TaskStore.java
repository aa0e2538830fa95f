package io.atrium.store;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.sqlite.SqliteWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * The writes of tasks (issue 15), on the store verticle's thread: an upload's task is made with its resources by
 * {@link ResourceStore#create}; here a re-index task with its items (the documents marked for indexing in the same
 * transaction, so a restart picks them up), and the task verticle's status and item outcomes.
 */
final class TaskStore {
  static final Set<String> STATUSES = Set.of("pending", "running", "succeeded", "failed", "partial", "cancelled");
  static final Set<String> OUTCOMES = Set.of("done", "error", "cancelled", "deleted", "duplicate");

  private final SqliteWriter writer;
  private final boolean hostOwned;

  private TaskStore(SqliteWriter writer, boolean hostOwned) {
    this.writer = writer;
    this.hostOwned = hostOwned;
  }

  static Future<Void> register(Vertx vertx, SqliteWriter writer, boolean hostOwned) {
    TaskStore store = new TaskStore(writer, hostOwned);
    return Future.all(
        Bus.serveSync(vertx, Addresses.STORE_TASK_CREATE, store::createReindex),
        Bus.serveSync(vertx, Addresses.STORE_TASK_UPDATE, store::update)).mapEmpty();
  }

  /**
   * The task of an upload, in the caller's transaction: {@code named} (a task_id the client gave) gains the new
   * items, else a new task; answers its id. With atrium owning the tasks table the id is the tasks row's.
   */
  static long uploadTask(SqliteWriter writer, Long hostTask, Long named, long knowledgeBaseId, JsonObject callback)
      throws SQLException {
    if (named != null && exists(writer, named)) {
      writer.update("UPDATE atrium_tasks SET status = CASE WHEN status IN ('pending', 'running') THEN status "
          + "ELSE 'running' END, finished_at = NULL, error = NULL WHERE id = ?", named);
      return named;
    }
    return insert(writer, hostTask, "upload", knowledgeBaseId, callback);
  }

  /** Adds an item (a resource) to a task; {@code outcome} already known for a duplicate. */
  static void addItem(SqliteWriter writer, long taskId, long resourceId, String fileName, String outcome)
      throws SQLException {
    writer.update("INSERT INTO atrium_task_items (task_id, resource_id, file_name, outcome) VALUES (?, ?, ?, ?) "
        + "ON CONFLICT (task_id, resource_id) DO UPDATE SET outcome = excluded.outcome, error = NULL",
        taskId, resourceId, fileName, outcome);
  }

  private static long insert(SqliteWriter writer, Long id, String kind, Long knowledgeBaseId, JsonObject callback)
      throws SQLException {
    return writer.insertReturningId("INSERT INTO atrium_tasks (id, kind, knowledge_base_id, callback_url, "
            + "callback_events) VALUES (?, ?, ?, ?, ?) RETURNING id", id, kind, knowledgeBaseId,
        callback == null ? null : callback.getString("url"),
        callback == null || callback.getJsonArray("events") == null ? null : callback.getJsonArray("events").encode());
  }

  private static boolean exists(SqliteWriter writer, long id) throws SQLException {
    PreparedStatement find = writer.prepare("SELECT 1 FROM atrium_tasks WHERE id = ?");
    SqliteWriter.bind(find, id);
    try (ResultSet rows = find.executeQuery()) {
      return rows.next();
    }
  }

  /** {kind: "reindex", title, knowledge_base_id, resource_ids} → {task_id}: the documents marked dirty with it. */
  JsonObject createReindex(JsonObject body) throws SQLException {
    String title = Fields.text(body, "title", 500, true);
    Long base = Fields.optionalPositiveLong(body, "knowledge_base_id");
    JsonArray ids = body.getJsonArray("resource_ids", new JsonArray());
    return writer.inTransaction(w -> {
      Long hostTask = hostOwned ? null
          : w.insertReturningId("INSERT INTO tasks (title, status) VALUES (?, 'todo') RETURNING id", title);
      long id = insert(w, hostTask, "reindex", base, null);
      for (Object resource : ids) {
        long resourceId = ((Number) resource).longValue();
        // indexed_hash NULL: the start-up queue takes it again should atrium stop before it is re-indexed
        if (w.update("UPDATE resources SET sync_status = 'dirty', indexed_hash = NULL WHERE id = ?", resourceId) > 0) {
          addItem(w, id, resourceId, null, null);
        }
      }
      return new JsonObject().put("task_id", id);
    });
  }

  /**
   * {id, status?, started?, finished?, reopened?, error?, items?: [{resource_id, outcome (null: open again), error?}]}:
   * what the task verticle saw happen.
   */
  JsonObject update(JsonObject body) throws SQLException {
    long id = Fields.positiveLong(body, "id");
    String status = body.getString("status");
    if (status != null && !STATUSES.contains(status)) {
      throw ErrorCode.INVALID_REQUEST.exception("status must be one of " + STATUSES, "status");
    }
    JsonArray items = body.getJsonArray("items", new JsonArray());
    return writer.inTransaction(w -> {
      if (!exists(w, id)) {
        throw ErrorCode.NOT_FOUND.exception("task " + id + " does not exist", "id");
      }
      if (status != null) {
        w.update("UPDATE atrium_tasks SET status = ?, error = ?, started_at = CASE WHEN ? AND started_at IS NULL THEN "
                + ResourceStore.NOW + " ELSE started_at END, finished_at = CASE WHEN ? THEN " + ResourceStore.NOW
                + " WHEN ? THEN NULL ELSE finished_at END WHERE id = ?", status, body.getString("error"),
            body.getBoolean("started", false), body.getBoolean("finished", false), body.getBoolean("reopened", false), id);
      }
      for (Object entry : items) {
        JsonObject item = (JsonObject) entry;
        String outcome = item.getString("outcome");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
          throw ErrorCode.INVALID_REQUEST.exception("outcome must be one of " + OUTCOMES, "items");
        }
        w.update("UPDATE atrium_task_items SET outcome = ?, error = ? WHERE task_id = ? AND resource_id = ?",
            outcome, item.getString("error"), id, Fields.positiveLong(item, "resource_id"));
      }
      return new JsonObject();
    });
  }
}
