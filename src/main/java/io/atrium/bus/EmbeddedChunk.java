package io.atrium.bus;

import static io.atrium.bus.Keys.PAGE;
import static io.atrium.bus.Keys.TEXT;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One chunk of a document with its vector, as {@link Addresses#EMBED_DOCUMENT} answers and
 * {@link Addresses#STORE_CHUNKS_REPLACE} takes it. The vector stays in its wire form (base64 float32 LE): the
 * ingest side only passes it on, and the store turns it into bytes once.
 */
public record EmbeddedChunk(int index, String text, Integer page, int start, int end, int tokens, String vector) {
  private static final String INDEX = "index";
  private static final String START = "start";
  private static final String END = "end";
  private static final String TOKENS = "tokens";
  private static final String VECTOR = "vector";

  public byte[] vectorBytes() {
    return Vectors.toBytes(Vectors.fromBase64(vector));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(INDEX, index)
        .put(TEXT, text)
        .put(PAGE, page)
        .put(START, start)
        .put(END, end)
        .put(TOKENS, tokens)
        .put(VECTOR, vector);
  }

  public static EmbeddedChunk fromJson(JsonObject json) {
    String text = Fields.optionalString(json, TEXT, Integer.MAX_VALUE);
    if (text == null) {
      throw ErrorCode.INVALID_REQUEST.exception("text of a chunk must be a string", TEXT);
    }
    Object page = json.getValue(PAGE);
    if (page != null && !(page instanceof Number)) {
      throw ErrorCode.INVALID_REQUEST.exception("page of a chunk must be a number or null", PAGE);
    }
    return new EmbeddedChunk(required(json, INDEX), text, page == null ? null : ((Number) page).intValue(),
        required(json, START), required(json, END), required(json, TOKENS),
        Fields.exactText(json, VECTOR, Integer.MAX_VALUE));
  }

  public static JsonArray toJson(List<EmbeddedChunk> chunks) {
    JsonArray array = new JsonArray();
    chunks.forEach(chunk -> array.add(chunk.toJson()));
    return array;
  }

  /** The chunks of a body, each checked; a missing or wrong-typed one is a 400 naming {@code field}. */
  public static List<EmbeddedChunk> listFromJson(JsonArray array, String field) {
    if (array == null) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be an array of chunks", field);
    }
    List<EmbeddedChunk> chunks = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof JsonObject chunk)) {
        throw ErrorCode.INVALID_REQUEST.exception(field + " must hold chunk objects", field);
      }
      chunks.add(fromJson(chunk));
    }
    return chunks;
  }

  private static int required(JsonObject json, String field) {
    if (!(json.getValue(field) instanceof Number number)) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " of a chunk must be a number", field);
    }
    return number.intValue();
  }
}
