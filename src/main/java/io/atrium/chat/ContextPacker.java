package io.atrium.chat;

import io.atrium.bus.Keys;
import io.atrium.bus.SearchHit;
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

  /** {@code results} are search hits, best first. */
  public static Context pack(List<SearchHit> results, int tokenBudget) {
    StringBuilder sources = new StringBuilder();
    JsonArray citations = new JsonArray();
    List<Long> ids = new ArrayList<>();
    int used = 0;
    for (SearchHit result : results) {
      String text = result.text();
      int tokens = TokenEstimate.of(text, 0, text.length());
      if (text.isBlank() || used + tokens > tokenBudget) {
        continue;
      }
      used += tokens;
      JsonObject citation = new JsonObject().put(Keys.RESOURCE_ID, result.resourceId()).put(Keys.CHUNK_ID, result.chunkId());
      if (result.page() != null) {
        citation.put(Keys.PAGE, result.page());
      }
      citations.add(citation);
      ids.add(result.chunkId());
      sources.append("\n\n[").append(citations.size()).append("] ").append(label(result)).append('\n').append(text.strip());
    }
    if (citations.isEmpty()) {
      return Context.NONE;
    }
    return new Context(INSTRUCTIONS + sources, citations, List.copyOf(ids));
  }

  private static String label(SearchHit result) {
    String path = result.filePath();
    String name = path == null ? "document" : path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    return result.page() == null ? name : name + ", page " + result.page();
  }
}
