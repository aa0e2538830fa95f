package io.atrium.store;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Stage;
import io.atrium.bus.Vectors;
import io.atrium.sqlite.SqliteDatabase;
import io.atrium.text.SearchText;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL behind the store verticle. Of the resources table it writes only the columns seed 000 gives atrium
 * (sync_status, indexed_hash, processing_hash, last_indexed_at, processing_stage, last_error) unless atrium
 * created the row itself (uploads); chunks, their full-text terms and vectors are atrium's own.
 */
final class ResourceStore {
  static final String NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
  private static final String RESOURCE_COLUMNS = "id, file_path, file_hash, file_type, task_id, sync_status, "
      + "indexed_hash, processing_hash, last_indexed_at, processing_stage, last_error";

  private final Pool pool;
  private final Pool readers;
  private final boolean hostOwned;

  ResourceStore(Pool writer, Pool readers, boolean hostOwned) {
    this.pool = writer;
    this.readers = readers;
    this.hostOwned = hostOwned;
  }

  Future<JsonObject> get(long id) {
    return readers.preparedQuery("SELECT " + RESOURCE_COLUMNS
            + ", (SELECT COUNT(*) FROM context_chunks c WHERE c.resource_id = r.id) AS chunk_count FROM resources r WHERE id = ?")
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ErrorCode.NOT_FOUND.exception("resource " + id + " does not exist", "id"))
            : Future.succeededFuture(resourceJson(rows.iterator().next())));
  }

  /** Seed 000's rule for what still needs indexing. */
  Future<JsonArray> pending() {
    return readers.query("SELECT id FROM resources WHERE sync_status IN ('pending','dirty','error') "
            + "AND (indexed_hash IS NULL OR indexed_hash != file_hash) ORDER BY id")
        .execute()
        .map(rows -> {
          JsonArray ids = new JsonArray();
          rows.forEach(row -> ids.add(row.getLong("id")));
          return ids;
        });
  }

  /** Inserts uploaded files (and, without a task_id, a task grouping them) in one transaction. */
  Future<JsonObject> create(JsonArray files, Long taskId, String taskTitle) {
    return SqliteDatabase.inTransaction(pool, conn -> taskFor(conn, taskId, taskTitle).compose(task -> {
      List<Future<Long>> inserts = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        JsonObject file = files.getJsonObject(i);
        inserts.add(conn.preparedQuery("INSERT INTO resources (file_path, file_hash, file_type, task_id, sync_status, "
                + "processing_stage) VALUES (?, ?, ?, ?, 'pending', 'todo') RETURNING id")
            .execute(Tuple.of(file.getString("file_path"), file.getString("file_hash"), file.getString("file_type"), task))
            .map(rows -> rows.iterator().next().getLong("id")));
      }
      return Future.all(inserts).map(all -> {
        JsonArray ids = new JsonArray();
        inserts.forEach(insert -> ids.add(insert.result()));
        return new JsonObject().put("task_id", task).put("resource_ids", ids);
      });
    }));
  }

  private Future<Long> taskFor(SqlConnection conn, Long taskId, String taskTitle) {
    if (taskId != null) {
      return conn.preparedQuery("SELECT id FROM tasks WHERE id = ?").execute(Tuple.of(taskId))
          .compose(rows -> rows.size() > 0 ? Future.succeededFuture(taskId)
              : Future.failedFuture(ErrorCode.NOT_FOUND.exception("task " + taskId + " does not exist", "task_id")));
    }
    if (hostOwned) {
      return Future.succeededFuture(null); // tasks belong to the host app: atrium creates none
    }
    return conn.preparedQuery("INSERT INTO tasks (title, status) VALUES (?, 'todo') RETURNING id")
        .execute(Tuple.of(taskTitle))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** Records a stage; {@code fileHash} fills a missing file_hash of a row atrium created (an upload) in the same write. */
  Future<Void> stage(long id, Stage stage, String processingHash, String fileHash) {
    String hashToRecord = hostOwned ? null : fileHash;
    return update("UPDATE resources SET processing_stage = ?, processing_hash = COALESCE(?, processing_hash), "
        + "file_hash = COALESCE(file_hash, ?), last_error = NULL WHERE id = ?",
        Tuple.of(stage.word(), processingHash, hashToRecord, id), id);
  }

  Future<Void> fail(long id, String error) {
    return update("UPDATE resources SET sync_status = 'error', processing_stage = 'error', processing_hash = NULL, "
        + "last_error = ? WHERE id = ?", Tuple.of(error, id), id);
  }

  private Future<Void> update(String sql, Tuple params, long id) {
    return pool.preparedQuery(sql).execute(params).compose(rows -> rows.rowCount() == 0
        ? Future.failedFuture(ErrorCode.NOT_FOUND.exception("resource " + id + " does not exist", "id"))
        : Future.succeededFuture());
  }

  /**
   * Replaces every chunk, full-text row and vector of a resource and marks it done, all in ONE transaction:
   * a reader sees the old index or the new one, never half of a file.
   */
  Future<Integer> replaceChunks(long resourceId, String indexedHash, String model, JsonArray chunks) {
    for (int i = 0; i < chunks.size(); i++) {
      // rows are matched back to chunks by position after the insert
      if (!Integer.valueOf(i).equals(chunks.getJsonObject(i).getInteger("index"))) {
        return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("chunks must be in index order 0..n-1", "chunks"));
      }
    }
    return SqliteDatabase.inTransaction(pool, conn -> deleteIndex(conn, resourceId)
        .compose(v -> conn.preparedQuery("INSERT INTO context_chunks (resource_id, chunk_index, content, page, "
                + "start_offset, end_offset, token_count) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .executeBatch(chunkRows(resourceId, chunks)))
        .compose(v -> conn.preparedQuery("SELECT id, chunk_index FROM context_chunks WHERE resource_id = ? ORDER BY chunk_index")
            .execute(Tuple.of(resourceId)))
        .compose(ids -> insertTermsAndVectors(conn, resourceId, model, chunks, ids))
        .compose(v -> conn.preparedQuery("UPDATE resources SET processing_stage = 'done', indexed_hash = ?, "
                + "processing_hash = NULL, last_error = NULL, last_indexed_at = " + NOW + ", "
                + "sync_status = CASE WHEN file_hash IS ? THEN 'synced' ELSE 'dirty' END WHERE id = ?")
            .execute(Tuple.of(indexedHash, indexedHash, resourceId)))
        .compose(rows -> rows.rowCount() == 0
            ? Future.failedFuture(ErrorCode.NOT_FOUND.exception("resource " + resourceId + " was deleted", "resource_id"))
            : Future.succeededFuture(chunks.size())));
  }

  private static List<Tuple> chunkRows(long resourceId, JsonArray chunks) {
    List<Tuple> rows = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      JsonObject chunk = chunks.getJsonObject(i);
      rows.add(Tuple.of(resourceId, chunk.getInteger("index"), chunk.getString("text"), chunk.getInteger("page"),
          chunk.getInteger("start"), chunk.getInteger("end"), chunk.getInteger("tokens")));
    }
    return rows;
  }

  private static Future<Void> insertTermsAndVectors(SqlConnection conn, long resourceId, String model, JsonArray chunks,
      RowSet<Row> ids) {
    if (chunks.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> terms = new ArrayList<>(chunks.size());
    List<Tuple> vectors = new ArrayList<>(chunks.size());
    int i = 0;
    for (Row row : ids) {
      JsonObject chunk = chunks.getJsonObject(i++);
      long chunkId = row.getLong("id");
      terms.add(Tuple.of(chunkId, SearchText.forIndex(chunk.getString("text"))));
      byte[] vector = Vectors.toBytes(Vectors.fromBase64(chunk.getString("vector")));
      vectors.add(Tuple.of(chunkId, resourceId, model, vector)); // byte[]: a Buffer would become a JDBC Blob, which sqlite-jdbc lacks
    }
    return conn.preparedQuery("INSERT INTO context_chunks_fts (rowid, terms) VALUES (?, ?)").executeBatch(terms)
        .compose(v -> conn.preparedQuery("INSERT INTO chunk_vectors (chunk_id, resource_id, model, vector) VALUES (?, ?, ?, ?)")
            .executeBatch(vectors))
        .mapEmpty();
  }

  private static Future<Void> deleteIndex(SqlConnection conn, long resourceId) {
    Tuple id = Tuple.of(resourceId);
    return conn.preparedQuery("DELETE FROM context_chunks_fts WHERE rowid IN (SELECT id FROM context_chunks WHERE resource_id = ?)")
        .execute(id)
        .compose(v -> conn.preparedQuery("DELETE FROM chunk_vectors WHERE resource_id = ?").execute(id))
        .compose(v -> conn.preparedQuery("DELETE FROM context_chunks WHERE resource_id = ?").execute(id))
        .mapEmpty();
  }

  /** Removes a resource's chunks and vectors; the row too when atrium created it (uploads). */
  Future<JsonObject> delete(long resourceId) {
    return SqliteDatabase.inTransaction(pool, conn -> conn.preparedQuery("SELECT file_path FROM resources WHERE id = ?")
        .execute(Tuple.of(resourceId))
        .compose(rows -> {
          String filePath = rows.size() > 0 ? rows.iterator().next().getString("file_path") : null;
          boolean removeRow = filePath != null && !hostOwned;
          return deleteIndex(conn, resourceId)
              .compose(v -> removeRow
                  ? conn.preparedQuery("DELETE FROM resources WHERE id = ?").execute(Tuple.of(resourceId)).mapEmpty()
                  : Future.<Void>succeededFuture())
              .map(v -> new JsonObject()
                  .put("resource_id", resourceId)
                  .put("existed", filePath != null)
                  .put("row_removed", removeRow)
                  .put("file_path", filePath));
        }));
  }

  /**
   * Records {@code model} as the embedding model; resources whose vectors came from another model lose their
   * indexed_hash and become 'dirty', so seed 000's rebuild rule queues them again. Answers how many.
   */
  Future<Integer> checkModel(String model) {
    return SqliteDatabase.inTransaction(pool, conn -> conn
        .preparedQuery("UPDATE resources SET sync_status = 'dirty', indexed_hash = NULL WHERE id IN "
            + "(SELECT DISTINCT resource_id FROM chunk_vectors WHERE model != ?)")
        .execute(Tuple.of(model))
        .compose(changed -> conn.preparedQuery("INSERT OR REPLACE INTO atrium_meta (key, value) VALUES ('embed_model', ?)")
            .execute(Tuple.of(model))
            .map(changed.rowCount())));
  }

  static JsonObject resourceJson(Row row) {
    JsonObject json = new JsonObject();
    for (String column : RESOURCE_COLUMNS.split(", ")) {
      json.put(column, row.getValue(column));
    }
    if (row.getColumnIndex("chunk_count") >= 0) {
      json.put("chunk_count", row.getLong("chunk_count"));
    }
    return json;
  }
}
