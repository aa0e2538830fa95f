package io.atrium.chat;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** A model's whole answer: its text and token usage. */
public record LlmReply(String content, Usage usage) {

  /**
   * The answer read as one JSON object (for JSON-mode requests): a Markdown code fence around it and text before
   * the first brace or after the last one are ignored. Null when there is no object to read.
   */
  public JsonObject json() {
    int start = content.indexOf('{');
    int end = content.lastIndexOf('}');
    if (start < 0 || end < start) {
      return null;
    }
    try {
      return new JsonObject(content.substring(start, end + 1));
    } catch (DecodeException e) {
      return null;
    }
  }
}
