package io.atrium.chat;

import io.atrium.chunk.TokenEstimate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the best retrieved chunks (in search order) into a numbered sources block within a token budget; a chunk
 * that does not fit is skipped and smaller later ones may still fit. The citations are exactly the chunks used.
 */
public final class ContextPacker {
  static final String INSTRUCTIONS = "Answer from the numbered sources below when they are relevant, and cite them "
      + "as [n]. If they do not contain the answer, say so.";

  private ContextPacker() {
  }

  /** The packed context: system text (null when no chunk was used), citations, and the chunk ids given. */
  public record Context(String systemText, JsonArray citations, List<Long> chunkIds) {
    public static final Context NONE = new Context(null, new JsonArray(), List.of());
  }

  /** {@code results} are search results: {resource_id, chunk_id, text, source: {file_path, page?}}. */
  public static Context pack(JsonArray results, int tokenBudget) {
    StringBuilder sources = new StringBuilder();
    JsonArray citations = new JsonArray();
    List<Long> ids = new ArrayList<>();
    int used = 0;
    for (int i = 0; i < results.size(); i++) {
      JsonObject result = results.getJsonObject(i);
      String text = result.getString("text", "");
      int tokens = TokenEstimate.of(text, 0, text.length());
      if (text.isBlank() || used + tokens > tokenBudget) {
        continue;
      }
      used += tokens;
      JsonObject source = result.getJsonObject("source", new JsonObject());
      Integer page = source.getInteger("page");
      JsonObject citation = new JsonObject().put("resource_id", result.getLong("resource_id"))
          .put("chunk_id", result.getLong("chunk_id"));
      if (page != null) {
        citation.put("page", page);
      }
      citations.add(citation);
      ids.add(result.getLong("chunk_id"));
      sources.append("\n\n[").append(citations.size()).append("] ").append(label(source)).append('\n').append(text.strip());
    }
    if (citations.isEmpty()) {
      return Context.NONE;
    }
    return new Context(INSTRUCTIONS + sources, citations, List.copyOf(ids));
  }

  private static String label(JsonObject source) {
    String path = source.getString("file_path");
    String name = path == null ? "document" : path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    Integer page = source.getInteger("page");
    return page == null ? name : name + ", page " + page;
  }
}
