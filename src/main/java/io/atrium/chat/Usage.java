package io.atrium.chat;

import io.vertx.core.json.JsonObject;

/** Token usage of one answer, in seed 000's names. */
public record Usage(int promptTokens, int completionTokens) {
  public static final Usage NONE = new Usage(0, 0);

  public JsonObject toJson() {
    return new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens);
  }
}
