package io.atrium.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Counts a chunk's tokens with the model's own tokenizer (no truncation), to see which chunks the embedder cuts. */
final class ModelTokens implements AutoCloseable {
  static final int WINDOW = 512;
  private static final Map<String, String> FILES = Map.of(
      "bge-small-en-v15-q", "/bge-small-en-v1.5-q-tokenizer.json",
      "bge-small-zh-v15-q", "/bge-small-zh-v1.5-q-tokenizer.json");

  private final HuggingFaceTokenizer tokenizer;

  ModelTokens(String model) {
    System.setProperty("ai.djl.offline", "true");
    try (InputStream in = ModelTokens.class.getResourceAsStream(FILES.get(model))) {
      tokenizer = HuggingFaceTokenizer.newInstance(in,
          Map.of("truncation", "false", "padding", "false", "maxLength", "100000"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int count(String text) {
    return tokenizer.encode(text).getIds().length;
  }

  /** [chunks over the window, largest count]. */
  int[] overWindow(List<JsonArray> chunksPerDoc) {
    int over = 0;
    int max = 0;
    for (JsonArray chunks : chunksPerDoc) {
      for (Object chunk : chunks) {
        int n = count(((JsonObject) chunk).getString("text"));
        max = Math.max(max, n);
        if (n > WINDOW) {
          over++;
        }
      }
    }
    return new int[] {over, max};
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
