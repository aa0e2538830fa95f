package io.atrium.chat;

import io.vertx.core.json.JsonObject;

/** One turn of a conversation: role {@code system}, {@code user} or {@code assistant}, and its text. */
public record ChatMessage(String role, String content) {
  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  public JsonObject toJson() {
    return new JsonObject().put("role", role).put("content", content);
  }

  public static ChatMessage fromJson(JsonObject json) {
    return new ChatMessage(json.getString("role"), json.getString("content"));
  }
}
