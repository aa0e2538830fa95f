package io.atrium.search;

import io.atrium.bus.Addresses;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.storage.ChunkSource;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@link Addresses#SEARCH_CHUNKS}: one resource's chunk texts, the listed ones or its first few (what the agent tags). */
final class ResourceChunkTexts {
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 200;

  private final ChunkSource chunks;

  ResourceChunkTexts(ChunkSource chunks) {
    this.chunks = chunks;
  }

  /** {resource_id, chunk_ids?, limit?} → {resource_id, file_path, chunks: [{chunk_id, text, page?}]} in document order. */
  Future<JsonObject> answer(JsonObject body) {
    long resourceId = Fields.positiveLong(body, "resource_id");
    List<Long> chunkIds = new ArrayList<>();
    for (Object id : body.getJsonArray("chunk_ids", new JsonArray())) {
      if (!(id instanceof Integer || id instanceof Long)) {
        throw ErrorCode.INVALID_REQUEST.exception("chunk_ids must be integers", "chunk_ids");
      }
      chunkIds.add(((Number) id).longValue());
    }
    Long limit = Fields.optionalPositiveLong(body, "limit");
    return chunks.resourceChunks(resourceId, chunkIds, limit == null ? DEFAULT_LIMIT : (int) Math.min(MAX_LIMIT, limit))
        .map(found -> found.orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
            "resource " + resourceId + " does not exist", "resource_id")))
        .map(found -> {
          JsonArray list = new JsonArray();
          Set<Long> listed = new HashSet<>();
          for (ChunkSource.Chunk chunk : found.chunks()) {
            listed.add(chunk.chunkId());
            JsonObject json = new JsonObject().put("chunk_id", chunk.chunkId()).put("text", chunk.text());
            if (chunk.page() != null) {
              json.put("page", chunk.page());
            }
            list.add(json);
          }
          List<Long> missing = chunkIds.stream().filter(id -> !listed.contains(id)).toList();
          if (!missing.isEmpty()) {
            throw ErrorCode.NOT_FOUND.exception(
                "chunks " + missing + " are not chunks of resource " + resourceId, "chunk_id_list");
          }
          return new JsonObject().put("resource_id", resourceId).put("file_path", found.filePath()).put("chunks", list);
        });
  }
}
