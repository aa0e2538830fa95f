package io.atrium.store;

import io.atrium.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Tasks as clients read them, on the read pool. An item's status is its recorded outcome, else its resource's
 * processing stage (todo, chunking, embedding — or done/error from a run this task has not counted yet), else
 * {@code deleted} when the resource is gone.
 */
final class TaskReader {
  private static final String TASK_COLUMNS = "SELECT t.id, t.kind, t.status, t.knowledge_base_id, t.callback_url, "
      + "t.callback_events, t.error, t.created_at, t.started_at, t.finished_at, "
      + "(SELECT COUNT(*) FROM atrium_task_items i WHERE i.task_id = t.id) AS total, "
      + "(SELECT COUNT(*) FROM atrium_task_items i WHERE i.task_id = t.id AND i.outcome IS NOT NULL) AS finished, "
      + "(SELECT COUNT(*) FROM atrium_task_items i WHERE i.task_id = t.id AND i.outcome IN ('error', 'cancelled')) AS failed "
      + "FROM atrium_tasks t ";
  private static final String ITEMS = "SELECT i.resource_id, i.file_name, i.outcome, i.error, r.processing_stage, "
      + "r.indexed_hash, r.last_error, d.file_name AS document_name, r.file_path FROM atrium_task_items i "
      + "LEFT JOIN resources r ON r.id = i.resource_id LEFT JOIN atrium_documents d ON d.resource_id = i.resource_id "
      + "WHERE i.task_id = ? ORDER BY i.resource_id";

  private static final java.util.Set<String> KINDS = java.util.Set.of("upload", "reindex");

  private final Pool readers;

  TaskReader(Pool readers) {
    this.readers = readers;
  }

  /** {id} → the task with every item. */
  Future<JsonObject> task(long id) {
    return readers.preparedQuery(TASK_COLUMNS + "WHERE t.id = ?").execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        // never "pending" for an id nobody made (Celery's #3596)
        return Future.failedFuture(ErrorCode.NOT_FOUND.exception("task " + id + " does not exist", "id"));
      }
      JsonObject task = task(rows.iterator().next());
      return readers.preparedQuery(ITEMS).execute(Tuple.of(id)).map(items -> {
        JsonArray shaped = new JsonArray();
        items.forEach(item -> shaped.add(item(item)));
        return task.put("items", shaped);
      });
    });
  }

  /** A page of tasks, newest first, of one status and kind when given. */
  Future<JsonObject> tasks(String status, String kind, int limit, long cursor) {
    if (status != null && !TaskStore.STATUSES.contains(status)) {
      return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("status must be one of " + TaskStore.STATUSES, "status"));
    }
    if (kind != null && !KINDS.contains(kind)) {
      return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("kind must be one of " + KINDS, "kind"));
    }
    StringBuilder sql = new StringBuilder(TASK_COLUMNS).append("WHERE t.id < ?");
    List<Object> params = new ArrayList<>(List.of(cursor == 0 ? Long.MAX_VALUE : cursor));
    if (status != null) {
      sql.append(" AND t.status = ?");
      params.add(status);
    }
    if (kind != null) {
      sql.append(" AND t.kind = ?");
      params.add(kind);
    }
    sql.append(" ORDER BY t.id DESC LIMIT ?");
    params.add(limit + 1);
    return readers.preparedQuery(sql.toString()).execute(Tuple.from(params))
        .map(rows -> Pages.of(rows, limit, "tasks", TaskReader::task));
  }

  /** The tasks not ended (pending, running), each with its items' outcomes and resources' states: for a restart. */
  Future<JsonObject> active() {
    return readers.query(TASK_COLUMNS + "WHERE t.status IN ('pending', 'running') ORDER BY t.id").execute()
        .compose(rows -> {
          List<JsonObject> tasks = new ArrayList<>();
          rows.forEach(row -> tasks.add(task(row)));
          Future<Void> chain = Future.succeededFuture();
          for (JsonObject task : tasks) {
            chain = chain.compose(v -> readers.preparedQuery(ITEMS).execute(Tuple.of(task.getLong("task_id")))
                .map(items -> {
                  JsonArray shaped = new JsonArray();
                  items.forEach(item -> shaped.add(item(item)));
                  task.put("items", shaped);
                  return null;
                }));
          }
          return chain.map(v -> new JsonObject().put("tasks", new JsonArray(tasks)));
        });
  }

  private static JsonObject task(Row row) {
    JsonObject task = new JsonObject()
        .put("task_id", row.getLong("id"))
        .put("kind", row.getString("kind"))
        .put("status", row.getString("status"))
        .put("created_at", row.getString("created_at"))
        .put("started_at", row.getString("started_at"))
        .put("finished_at", row.getString("finished_at"))
        .put("counts", new JsonObject().put("items", row.getLong("total")).put("finished", row.getLong("finished"))
            .put("failed", row.getLong("failed")));
    if (row.getLong("knowledge_base_id") != null) {
      task.put("knowledge_base_id", row.getLong("knowledge_base_id"));
    }
    if (row.getString("callback_url") != null) {
      task.put("callback_url", row.getString("callback_url"));
      if (row.getString("callback_events") != null) {
        task.put("callback_events", new JsonArray(row.getString("callback_events")));
      }
    }
    if (row.getString("error") != null) {
      task.put("error", row.getString("error"));
    }
    return task;
  }

  private static JsonObject item(Row row) {
    String outcome = row.getString("outcome");
    String stage = row.getString("processing_stage");
    String path = row.getString("file_path");
    String name = row.getString("file_name") != null ? row.getString("file_name")
        : row.getString("document_name") != null ? row.getString("document_name")
        : path == null ? null : path.substring(path.lastIndexOf('/') + 1);
    JsonObject item = new JsonObject()
        .put("resource_id", row.getLong("resource_id"))
        .put("file_name", name)
        .put("status", outcome != null ? outcome : stage != null ? stage : "deleted");
    String error = outcome != null ? row.getString("error") : "error".equals(stage) ? row.getString("last_error") : null;
    if (error != null) {
      item.put("error", error);
    }
    // for the task verticle, which settles items from them (and drops them from what clients see)
    return item.put("outcome", outcome).put("indexed", row.getString("indexed_hash") != null);
  }
}
