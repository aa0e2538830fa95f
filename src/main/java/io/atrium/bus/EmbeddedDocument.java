package io.atrium.bus;

import static io.atrium.bus.Keys.CHUNKS;
import static io.atrium.bus.Keys.DIMENSION;
import static io.atrium.bus.Keys.MODEL;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Reply of {@link Addresses#EMBED_DOCUMENT}: a document's chunks with the vectors of one model. */
public record EmbeddedDocument(String model, int dimension, List<EmbeddedChunk> chunks) {

  public JsonObject toJson() {
    return new JsonObject().put(MODEL, model).put(DIMENSION, dimension).put(CHUNKS, EmbeddedChunk.toJson(chunks));
  }

  public static EmbeddedDocument fromJson(JsonObject json) {
    return new EmbeddedDocument(Fields.exactText(json, MODEL, 200), json.getInteger(DIMENSION, 0),
        EmbeddedChunk.listFromJson(json.getJsonArray(CHUNKS), CHUNKS));
  }
}
