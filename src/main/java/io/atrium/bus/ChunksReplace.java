package io.atrium.bus;

import static io.atrium.bus.Keys.CHUNKS;
import static io.atrium.bus.Keys.INDEXED_HASH;
import static io.atrium.bus.Keys.MODEL;
import static io.atrium.bus.Keys.RESOURCE_ID;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Body of {@link Addresses#STORE_CHUNKS_REPLACE}: every chunk of a resource, embedded with {@code model}, to replace
 * what the store holds for it in one transaction; {@code indexedHash} is the file hash they were made from.
 */
public record ChunksReplace(long resourceId, String indexedHash, String model, List<EmbeddedChunk> chunks) {

  public JsonObject toJson() {
    return new JsonObject()
        .put(RESOURCE_ID, resourceId)
        .put(INDEXED_HASH, indexedHash)
        .put(MODEL, model)
        .put(CHUNKS, EmbeddedChunk.toJson(chunks));
  }

  public static ChunksReplace fromJson(JsonObject json) {
    return new ChunksReplace(Fields.positiveLong(json, RESOURCE_ID), Fields.optionalString(json, INDEXED_HASH, 200),
        Fields.exactText(json, MODEL, 200), EmbeddedChunk.listFromJson(json.getJsonArray(CHUNKS, new JsonArray()), CHUNKS));
  }
}
