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
 * Knowledge bases and their documents as clients list them, on the read pool. A document is a resource that is not
 * a synced conversation; one without an atrium_documents row (a host app's, notified) belongs to the default base.
 * Lists are pages by id: {@code cursor} is the last id of the page before, {@code next_cursor} null on the last page.
 */
final class KnowledgeReader {
  /** The base of a resource: its document row's, else the default base. */
  static final String BASE_OF = "COALESCE(d.knowledge_base_id, " + KnowledgeStore.DEFAULT_BASE + ")";
  private static final String DOCUMENTS = "FROM resources r LEFT JOIN atrium_documents d ON d.resource_id = r.id "
      + "WHERE r.file_type IS NOT 'conversation'";
  private static final String DOCUMENT_COLUMNS = "SELECT r.id, r.file_path, r.file_type, r.task_id, r.processing_stage, "
      + "r.last_error, r.last_indexed_at, r.created_at, d.file_name, d.size, d.content_hash, " + BASE_OF + " AS kb, "
      + "(SELECT COUNT(*) FROM context_chunks c WHERE c.resource_id = r.id) AS chunk_count ";
  private static final String BASE_COLUMNS = "SELECT k.*, "
      + "(SELECT COUNT(*) " + DOCUMENTS + " AND " + BASE_OF + " = k.id) AS document_count, "
      + "(SELECT COUNT(*) FROM context_chunks c JOIN resources r ON r.id = c.resource_id LEFT JOIN atrium_documents d "
      + "ON d.resource_id = r.id WHERE r.file_type IS NOT 'conversation' AND " + BASE_OF + " = k.id) AS chunk_count "
      + "FROM knowledge_bases k ";

  private static final java.util.Set<String> STATUSES = java.util.Set.of("todo", "chunking", "embedding", "done", "error");

  private final Pool readers;

  KnowledgeReader(Pool readers) {
    this.readers = readers;
  }

  Future<JsonObject> base(long id) {
    return readers.preparedQuery(BASE_COLUMNS + "WHERE k.id = ?").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ErrorCode.NOT_FOUND.exception("knowledge base " + id + " does not exist", "id"))
            : Future.succeededFuture(base(rows.iterator().next())));
  }

  Future<JsonObject> bases(int limit, long cursor) {
    return readers.preparedQuery(BASE_COLUMNS + "WHERE k.id > ? ORDER BY k.id LIMIT ?").execute(Tuple.of(cursor, limit + 1))
        .map(rows -> Pages.of(rows, limit, "knowledge_bases", KnowledgeReader::base));
  }

  /** A page of documents, of one base and one status when given. */
  Future<JsonObject> documents(Long knowledgeBaseId, String status, int limit, long cursor) {
    if (status != null && !STATUSES.contains(status)) {
      return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("status must be one of " + STATUSES, "status"));
    }
    StringBuilder sql = new StringBuilder(DOCUMENT_COLUMNS).append(DOCUMENTS).append(" AND r.id > ?");
    List<Object> params = new ArrayList<>(List.of(cursor));
    if (knowledgeBaseId != null) {
      sql.append(" AND ").append(BASE_OF).append(" = ?");
      params.add(knowledgeBaseId);
    }
    if (status != null) {
      sql.append(" AND r.processing_stage = ?");
      params.add(status);
    }
    sql.append(" ORDER BY r.id LIMIT ?");
    params.add(limit + 1);
    return readers.preparedQuery(sql.toString()).execute(Tuple.from(params))
        .map(rows -> Pages.of(rows, limit, "documents", KnowledgeReader::document));
  }

  Future<JsonObject> document(long id) {
    return readers.preparedQuery(DOCUMENT_COLUMNS + DOCUMENTS + " AND r.id = ?").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ErrorCode.NOT_FOUND.exception("document " + id + " does not exist", "id"))
            : Future.succeededFuture(document(rows.iterator().next())));
  }

  /** The ids of a base's documents, all of them (a re-index or a delete goes over each). */
  Future<JsonObject> documentIds(long knowledgeBaseId) {
    return readers.preparedQuery("SELECT r.id " + DOCUMENTS + " AND " + BASE_OF + " = ? ORDER BY r.id")
        .execute(Tuple.of(knowledgeBaseId))
        .map(rows -> {
          JsonArray ids = new JsonArray();
          rows.forEach(row -> ids.add(row.getLong(0)));
          return new JsonObject().put("ids", ids);
        });
  }


  private static JsonObject base(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("description", row.getString("description"))
        .put("chunk_size", row.getInteger("chunk_size"))
        .put("chunk_overlap", row.getInteger("chunk_overlap"))
        .put("callback_url", row.getString("callback_url"))
        .put("created_at", row.getString("created_at"))
        .put("updated_at", row.getString("updated_at"))
        .put("document_count", row.getLong("document_count"))
        .put("chunk_count", row.getLong("chunk_count"));
  }

  private static JsonObject document(Row row) {
    String path = row.getString("file_path");
    String name = row.getString("file_name");
    JsonObject json = new JsonObject()
        .put("id", row.getLong("id"))
        .put("resource_id", row.getLong("id"))
        .put("knowledge_base_id", row.getLong("kb"))
        .put("file_name", name != null ? name : path.substring(path.lastIndexOf('/') + 1))
        .put("file_type", row.getString("file_type"))
        .put("size", row.getLong("size"))
        .put("content_hash", row.getString("content_hash"))
        .put("task_id", row.getLong("task_id"))
        .put("status", row.getString("processing_stage"))
        .put("chunk_count", row.getLong("chunk_count"))
        .put("created_at", row.getString("created_at"))
        .put("last_indexed_at", row.getString("last_indexed_at"));
    if (row.getString("last_error") != null) {
      json.put("error", row.getString("last_error"));
    }
    return json;
  }
}
