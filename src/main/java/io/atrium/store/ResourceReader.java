package io.atrium.store;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Keys;
import io.atrium.bus.ResourceRow;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** The reads of resource rows, on the read pool: they never wait behind the writer's transactions. */
final class ResourceReader {
  private static final String RESOURCE_COLUMNS = String.join(", ", ResourceRow.COLUMNS.stream().map(c -> "r." + c).toList());

  private final Pool readers;

  ResourceReader(Pool readers) {
    this.readers = readers;
  }

  Future<JsonObject> get(long id) {
    // the chunk settings of the resource's knowledge base (null: the configured ones) decide how it is chunked
    return readers.preparedQuery("SELECT " + RESOURCE_COLUMNS
            + ", (SELECT COUNT(*) FROM context_chunks c WHERE c.resource_id = r.id) AS chunk_count, "
            + "k.chunk_size, k.chunk_overlap FROM resources r LEFT JOIN atrium_documents d ON d.resource_id = r.id "
            + "LEFT JOIN knowledge_bases k ON k.id = d.knowledge_base_id WHERE r.id = ?")
        .execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ErrorCode.NOT_FOUND.exception("resource " + id + " does not exist", "id"));
          }
          Row row = rows.iterator().next();
          JsonObject json = resourceRow(row).toJson();
          if (row.getInteger("chunk_size") != null) {
            json.put("chunk", new JsonObject().put("size_tokens", row.getInteger("chunk_size"))
                .put("overlap_tokens", row.getInteger("chunk_overlap")));
          }
          return Future.succeededFuture(json);
        });
  }

  /**
   * {id, model} → {vectors: [{text, vector (base64)}]}: the resource's chunks as they are stored, each with its vector
   * of {@code model}, for an embedding that can reuse those of unchanged chunks. An unknown id has none.
   */
  Future<JsonObject> vectors(long id, String model) {
    return readers.preparedQuery("SELECT c.content, v.vector FROM context_chunks c JOIN chunk_vectors v ON v.chunk_id = c.id "
            + "WHERE c.resource_id = ? AND v.model = ?")
        .execute(Tuple.of(id, model))
        .map(rows -> {
          JsonArray vectors = new JsonArray();
          for (Row row : rows) {
            Object vector = row.getValue("vector");
            byte[] bytes = vector instanceof io.vertx.core.buffer.Buffer buffer ? buffer.getBytes() : (byte[]) vector;
            vectors.add(new JsonObject().put("text", row.getString("content"))
                .put("vector", java.util.Base64.getEncoder().encodeToString(bytes)));
          }
          return new JsonObject().put("vectors", vectors);
        });
  }

  /** Seed 000's rule for what still needs indexing. */
  Future<JsonObject> pending() {
    return readers.query("SELECT r.id, EXISTS (SELECT 1 FROM atrium_failed_files f WHERE f.resource_id = r.id "
            + "AND f.file_hash = r.file_hash) AS failed_for_good FROM resources r "
            + "WHERE r.sync_status IN ('pending','dirty','error') "
            + "AND (r.indexed_hash IS NULL OR r.indexed_hash != r.file_hash) ORDER BY r.id")
        .execute()
        .map(rows -> {
          JsonArray ids = new JsonArray();
          int skipped = 0;
          for (Row row : rows) {
            if (row.getInteger("failed_for_good") == 1) {
              skipped++;
            } else {
              ids.add(row.getLong("id"));
            }
          }
          return new JsonObject().put("ids", ids).put("failed_permanently", skipped);
        });
  }

  static final String SUGGESTION_COLUMNS = "id, kind, task_id, resource_id, status, provider, model, "
      + "suggested_subtasks, suggested_tags, attempts, last_error, created_at, updated_at";

  /** A suggestion in the shape the agent endpoints answer with. */
  Future<JsonObject> suggestion(long id) {
    return readers.preparedQuery("SELECT " + SUGGESTION_COLUMNS + " FROM agent_suggestions WHERE id = ?")
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ErrorCode.NOT_FOUND.exception("suggestion " + id + " does not exist", "id"))
            : Future.succeededFuture(suggestionOf(rows.iterator().next())));
  }

  static JsonObject suggestionOf(Row row) {
    JsonObject json = new JsonObject().put("suggestion_id", row.getLong("id"));
    for (String column : List.of("kind", "task_id", "resource_id", "status", "provider", "model", "attempts",
        "last_error", "created_at", "updated_at")) {
      json.put(column, row.getValue(column));
    }
    for (String column : List.of("suggested_subtasks", "suggested_tags")) {
      String stored = row.getString(column);
      if (stored != null) {
        json.put(column, new JsonArray(stored));
      }
    }
    return json;
  }

  static ResourceRow resourceRow(Row row) {
    return new ResourceRow(row.getLong(Keys.ID), row.getString(Keys.FILE_PATH), row.getString(Keys.FILE_HASH),
        row.getString(Keys.FILE_TYPE), row.getLong(Keys.TASK_ID), row.getString(Keys.SYNC_STATUS),
        row.getString(Keys.INDEXED_HASH), row.getString(Keys.PROCESSING_HASH), row.getString(Keys.LAST_INDEXED_AT),
        row.getString(Keys.PROCESSING_STAGE), row.getString(Keys.LAST_ERROR), row.getLong(Keys.CHUNK_COUNT));
  }
}
