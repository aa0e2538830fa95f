package io.atrium.store;

import io.atrium.bus.ChunksReplace;
import io.atrium.bus.EmbeddedChunk;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.bus.Keys;
import io.atrium.bus.Stage;
import io.atrium.sqlite.SqliteWriter;
import io.atrium.text.SearchText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The writes behind the store verticle, run synchronously on its worker thread. Of the resources table it writes
 * only the columns seed 000 gives atrium (sync_status, indexed_hash, processing_hash, last_indexed_at,
 * processing_stage, last_error) unless atrium created the row itself (uploads); chunks, their full-text terms and
 * vectors are atrium's own.
 */
final class ResourceStore {
  static final String NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

  private final SqliteWriter writer;
  private final boolean hostOwned;

  ResourceStore(SqliteWriter writer, boolean hostOwned) {
    this.writer = writer;
    this.hostOwned = hostOwned;
  }

  /** What an upload of a file whose bytes a knowledge base already holds does: answer the existing document. */
  enum OnDuplicate {
    /** The existing document is the answer; the new copy is dropped (the default). */
    SKIP,
    /** A second document is made anyway. */
    KEEP,
    /** The new copy replaces the existing document, which is deleted with its chunks. */
    REPLACE;

    static OnDuplicate of(String word) {
      if (word == null) {
        return SKIP;
      }
      return switch (word) {
        case "skip" -> SKIP;
        case "keep" -> KEEP;
        case "replace" -> REPLACE;
        default -> throw ErrorCode.INVALID_REQUEST.exception("on_duplicate must be keep, replace or skip", "on_duplicate");
      };
    }
  }

  /**
   * Inserts uploaded files into a knowledge base (and, without a task_id, a task grouping them) in one transaction.
   * A file whose {@code content_hash} the base already holds (or an earlier file of the same upload) is, by
   * {@code onDuplicate}, answered with the existing document, kept as a second one, or put in its place.
   */
  JsonObject create(JsonArray files, Long taskId, String taskTitle, long knowledgeBaseId, OnDuplicate onDuplicate,
      JsonObject callback) throws SQLException {
    if (files.isEmpty()) {
      throw ErrorCode.INVALID_REQUEST.exception("files must name at least one file", "files");
    }
    return writer.inTransaction(w -> {
      requireBase(knowledgeBaseId);
      Long task = taskFor(taskId, taskTitle);
      // the job clients follow: the same id as the tasks row where atrium keeps that table; a host's task_id only
      // links the files to the host's task
      long job = TaskStore.uploadTask(w, task, hostOwned ? null : taskId, knowledgeBaseId,
          callback != null ? callback : baseCallback(knowledgeBaseId));
      JsonArray ids = new JsonArray();
      JsonArray duplicates = new JsonArray();
      JsonArray replaced = new JsonArray();
      for (int i = 0; i < files.size(); i++) {
        JsonObject file = files.getJsonObject(i);
        String hash = file.getString("content_hash");
        Long existing = onDuplicate == OnDuplicate.KEEP || hash == null ? null : documentWithHash(knowledgeBaseId, hash);
        String fileName = file.getString("file_name", "upload");
        if (existing != null && onDuplicate == OnDuplicate.SKIP) {
          ids.add(existing);
          duplicates.add(i);
          TaskStore.addItem(w, job, existing, fileName, "duplicate");
          continue;
        }
        if (existing != null) {
          replaced.add(deleteWithin(existing));
        }
        long id = writer.insertReturningId("INSERT INTO resources (file_path, file_hash, file_type, task_id, sync_status, "
                + "processing_stage) VALUES (?, ?, ?, ?, 'pending', 'todo') RETURNING id",
            Fields.exactText(file, "file_path", 4096), hash, file.getString("file_type"), task);
        w.update("INSERT INTO atrium_documents (resource_id, knowledge_base_id, file_name, size, content_hash) "
            + "VALUES (?, ?, ?, ?, ?)", id, knowledgeBaseId, fileName, file.getLong("size"), hash);
        TaskStore.addItem(w, job, id, fileName, null);
        ids.add(id);
      }
      return new JsonObject().put("task_id", job).put("host_task_id", task).put("resource_ids", ids)
          .put("duplicates", duplicates).put("replaced", replaced);
    });
  }

  private void requireBase(long knowledgeBaseId) throws SQLException {
    PreparedStatement exists = writer.prepare("SELECT 1 FROM knowledge_bases WHERE id = ?");
    SqliteWriter.bind(exists, knowledgeBaseId);
    try (ResultSet rows = exists.executeQuery()) {
      if (!rows.next()) {
        throw ErrorCode.NOT_FOUND.exception("knowledge base " + knowledgeBaseId + " does not exist", "knowledge_base_id");
      }
    }
  }

  /** The base's default callback ({url, events: []}), or null. */
  private JsonObject baseCallback(long knowledgeBaseId) throws SQLException {
    PreparedStatement find = writer.prepare("SELECT callback_url FROM knowledge_bases WHERE id = ?");
    SqliteWriter.bind(find, knowledgeBaseId);
    try (ResultSet rows = find.executeQuery()) {
      String url = rows.next() ? rows.getString(1) : null;
      return url == null ? null : new JsonObject().put("url", url).put("events", new JsonArray());
    }
  }

  /** The oldest document of the base with these bytes, or null. */
  private Long documentWithHash(long knowledgeBaseId, String hash) throws SQLException {
    PreparedStatement find = writer.prepare("SELECT MIN(resource_id) FROM atrium_documents "
        + "WHERE knowledge_base_id = ? AND content_hash = ?");
    SqliteWriter.bind(find, knowledgeBaseId, hash);
    try (ResultSet rows = find.executeQuery()) {
      long id = rows.next() ? rows.getLong(1) : 0;
      return id == 0 ? null : id;
    }
  }

  private Long taskFor(Long taskId, String taskTitle) throws SQLException {
    if (taskId != null) {
      PreparedStatement exists = writer.prepare("SELECT 1 FROM tasks WHERE id = ?");
      SqliteWriter.bind(exists, taskId);
      try (ResultSet rows = exists.executeQuery()) {
        if (!rows.next()) {
          throw ErrorCode.NOT_FOUND.exception("task " + taskId + " does not exist", "task_id");
        }
      }
      return taskId;
    }
    if (hostOwned) {
      return null; // tasks belong to the host app: atrium creates none
    }
    return writer.insertReturningId("INSERT INTO tasks (title, status) VALUES (?, 'todo') RETURNING id", taskTitle);
  }

  /** Records a stage; {@code fileHash} fills a missing file_hash of a row atrium created (an upload) in the same write. */
  void stage(long id, Stage stage, String processingHash, String fileHash) throws SQLException {
    String hashToRecord = hostOwned ? null : fileHash;
    updateOne(id, "UPDATE resources SET processing_stage = ?, processing_hash = COALESCE(?, processing_hash), "
        + "file_hash = COALESCE(file_hash, ?), last_error = NULL WHERE id = ?", stage.word(), processingHash, hashToRecord, id);
  }

  /**
   * Records a failure; a {@code permanent} one also remembers the file's hash, so the queue rebuilt at start skips the
   * file until it changes (a transient one forgets any earlier permanent failure: it is worth another try).
   */
  void fail(long id, String error, boolean permanent) throws SQLException {
    writer.inTransaction(w -> {
      updateOne(id, "UPDATE resources SET sync_status = 'error', processing_stage = 'error', processing_hash = NULL, "
          + "last_error = ? WHERE id = ?", error, id);
      if (permanent) {
        w.update("INSERT OR REPLACE INTO atrium_failed_files (resource_id, file_hash, reason) "
            + "SELECT id, file_hash, ? FROM resources WHERE id = ? AND file_hash IS NOT NULL", error, id);
      } else {
        w.update("DELETE FROM atrium_failed_files WHERE resource_id = ?", id);
      }
      return null;
    });
  }

  private void updateOne(long id, String sql, Object... params) throws SQLException {
    if (writer.update(sql, params) == 0) {
      throw ErrorCode.NOT_FOUND.exception("resource " + id + " does not exist", "id");
    }
  }

  /**
   * Replaces every chunk, full-text row and vector of a resource and marks it done, all in ONE transaction:
   * a reader sees the old index or the new one, never half of a file.
   */
  IndexChange replaceChunks(ChunksReplace replace) throws SQLException {
    List<EmbeddedChunk> chunks = replace.chunks();
    for (int i = 0; i < chunks.size(); i++) {
      if (chunks.get(i).index() != i) {
        throw ErrorCode.INVALID_REQUEST.exception("chunks must be in index order 0..n-1", Keys.CHUNKS);
      }
    }
    long resourceId = replace.resourceId();
    String indexedHash = replace.indexedHash();
    return writer.inTransaction(w -> {
      deleteIndex(resourceId);
      for (EmbeddedChunk chunk : chunks) {
        long chunkId = writer.insertReturningId("INSERT INTO context_chunks (resource_id, chunk_index, content, page, "
                + "start_offset, end_offset, token_count) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            resourceId, chunk.index(), chunk.text(), chunk.page(), chunk.start(), chunk.end(), chunk.tokens());
        w.update("INSERT INTO context_chunks_fts (rowid, terms) VALUES (?, ?)", chunkId, SearchText.forIndex(chunk.text()));
        w.update("INSERT INTO chunk_vectors (chunk_id, resource_id, model, vector) VALUES (?, ?, ?, ?)",
            chunkId, resourceId, replace.model(), chunk.vectorBytes());
      }
      int marked = w.update("UPDATE resources SET processing_stage = 'done', indexed_hash = ?, processing_hash = NULL, "
          + "last_error = NULL, last_indexed_at = " + NOW + ", "
          + "sync_status = CASE WHEN file_hash IS ? THEN 'synced' ELSE 'dirty' END WHERE id = ?", indexedHash, indexedHash, resourceId);
      if (marked == 0) {
        throw ErrorCode.NOT_FOUND.exception("resource " + resourceId + " was deleted", "resource_id");
      }
      return new IndexChange(resourceId, "replaced", recordChange(resourceId, "replaced"), chunks.size());
    });
  }

  /** A committed change of a resource's index: derived indexes apply changes in seq order. */
  record IndexChange(long resourceId, String action, long seq, int chunks) {
    JsonObject toJson() {
      return new JsonObject().put("resource_id", resourceId).put("action", action).put("seq", seq).put("chunks", chunks);
    }
  }

  /** Replaces the resource's row in index_changes, so it gets the next seq; in the caller's transaction. */
  private long recordChange(long resourceId, String action) throws SQLException {
    return writer.insertReturningId("INSERT OR REPLACE INTO index_changes (resource_id, action) VALUES (?, ?) RETURNING seq",
        resourceId, action);
  }

  /** Everything derived from a resource's file; a permanent failure too, since the file is indexed or gone now. */
  private void deleteIndex(long resourceId) throws SQLException {
    writer.update("DELETE FROM atrium_failed_files WHERE resource_id = ?", resourceId);
    writer.update("DELETE FROM context_chunks_fts WHERE rowid IN (SELECT id FROM context_chunks WHERE resource_id = ?)", resourceId);
    writer.update("DELETE FROM chunk_vectors WHERE resource_id = ?", resourceId);
    writer.update("DELETE FROM context_chunks WHERE resource_id = ?", resourceId);
  }

  /** Removes a resource's chunks and vectors; the row too when atrium created it (uploads). */
  JsonObject delete(long resourceId) throws SQLException {
    return writer.inTransaction(w -> deleteWithin(resourceId));
  }

  /** {@link #delete} inside the caller's transaction. */
  private JsonObject deleteWithin(long resourceId) throws SQLException {
    PreparedStatement find = writer.prepare("SELECT file_path FROM resources WHERE id = ?");
    SqliteWriter.bind(find, resourceId);
    String filePath;
    try (ResultSet rows = find.executeQuery()) {
      filePath = rows.next() ? rows.getString(1) : null;
    }
    boolean removeRow = filePath != null && !hostOwned;
    deleteIndex(resourceId);
    writer.update("DELETE FROM atrium_documents WHERE resource_id = ?", resourceId);
    if (removeRow) {
      writer.update("DELETE FROM resources WHERE id = ?", resourceId);
    }
    long seq = recordChange(resourceId, "removed");
    return new JsonObject()
        .put("seq", seq)
        .put("resource_id", resourceId)
        .put("existed", filePath != null)
        .put("row_removed", removeRow)
        .put("file_path", filePath);
  }

  /**
   * Records {@code model} as the embedding model; resources whose vectors came from another model lose their
   * indexed_hash and become 'dirty', so seed 000's rebuild rule queues them again. Answers how many.
   */
  int checkModel(String model) throws SQLException {
    return writer.inTransaction(w -> {
      int changed = w.update("UPDATE resources SET sync_status = 'dirty', indexed_hash = NULL WHERE id IN "
          + "(SELECT DISTINCT resource_id FROM chunk_vectors WHERE model != ?)", model);
      w.update("INSERT OR REPLACE INTO atrium_meta (key, value) VALUES ('embed_model', ?)", model);
      return changed;
    });
  }

}
