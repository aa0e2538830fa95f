package io.atrium.bus;

import static io.atrium.bus.Keys.CITATIONS;
import static io.atrium.bus.Keys.CONTENT;
import static io.atrium.bus.Keys.MODEL;
import static io.atrium.bus.Keys.SESSION_ID;
import static io.atrium.bus.Keys.USAGE;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@link Addresses#STORE_CHAT_MESSAGES_APPEND}: one exchange of a chat session — the user's turns and the
 * answer, with the answer's provider, model, token usage and citations — stored in one transaction.
 */
public record ChatExchange(long sessionId, List<Message> messages) {
  private static final String MESSAGES = "messages";

  /** One stored message; provider, model, usage and citations belong to answers only. */
  public record Message(String role, String content, String provider, String model, Long promptTokens,
      Long completionTokens, JsonArray citations) {
    private static final String ROLE = "role";
    private static final String PROVIDER = "provider";
    private static final String PROMPT_TOKENS = "prompt_tokens";
    private static final String COMPLETION_TOKENS = "completion_tokens";

    public static Message of(String role, String content) {
      return new Message(role, content, null, null, null, null, null);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put(ROLE, role).put(CONTENT, content);
      if (provider != null) {
        json.put(PROVIDER, provider).put(MODEL, model);
      }
      if (promptTokens != null || completionTokens != null) {
        json.put(USAGE, new JsonObject().put(PROMPT_TOKENS, promptTokens).put(COMPLETION_TOKENS, completionTokens));
      }
      if (citations != null) {
        json.put(CITATIONS, citations);
      }
      return json;
    }

    public static Message fromJson(JsonObject json) {
      String content = Fields.optionalString(json, CONTENT, Integer.MAX_VALUE);
      if (content == null) {
        throw ErrorCode.INVALID_REQUEST.exception("content of a message must be a string", CONTENT);
      }
      JsonObject usage = json.getValue(USAGE) instanceof JsonObject given ? given : new JsonObject();
      Object citations = json.getValue(CITATIONS);
      if (citations != null && !(citations instanceof JsonArray)) {
        throw ErrorCode.INVALID_REQUEST.exception("citations must be an array", CITATIONS);
      }
      return new Message(Fields.text(json, ROLE, 32, true), content, Fields.optionalString(json, PROVIDER, 64),
          Fields.optionalString(json, MODEL, 200), usage.getLong(PROMPT_TOKENS), usage.getLong(COMPLETION_TOKENS),
          (JsonArray) citations);
    }
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    messages.forEach(message -> array.add(message.toJson()));
    return new JsonObject().put(SESSION_ID, sessionId).put(MESSAGES, array);
  }

  public static ChatExchange fromJson(JsonObject json) {
    long sessionId = Fields.positiveLong(json, SESSION_ID);
    if (!(json.getValue(MESSAGES) instanceof JsonArray array)) {
      throw ErrorCode.INVALID_REQUEST.exception("messages must be an array", MESSAGES);
    }
    List<Message> messages = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof JsonObject message)) {
        throw ErrorCode.INVALID_REQUEST.exception("messages must hold message objects", MESSAGES);
      }
      messages.add(Message.fromJson(message));
    }
    return new ChatExchange(sessionId, messages);
  }
}
