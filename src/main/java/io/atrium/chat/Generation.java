package io.atrium.chat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One plain model call for other verticles (the agent, the reranker, media recognition): the chat request's
 * provider fields and messages, optionally in the provider's JSON mode, through the same client, breakers and
 * retries as chat, without sessions, retrieval or logs. Reply {@code {content, usage}}; with {@code dry_run} only the
 * request is checked.
 */
final class Generation {
  private final ChatSettings settings;
  private final LlmClient client;

  Generation(ChatSettings settings, LlmClient client) {
    this.settings = settings;
    this.client = client;
  }

  Future<JsonObject> generate(JsonObject body) {
    ChatRequest request = ChatRequest.fromJson(body);
    Endpoint endpoint = settings.resolve(request.provider(), request.baseUrl(), request.apiKey());
    if (Boolean.TRUE.equals(body.getValue("dry_run"))) {
      // a caller checks its provider fields before it records anything: {valid: true} or the same 400 a call would get
      return Future.succeededFuture(new JsonObject().put("valid", true));
    }
    List<String> system = new ArrayList<>();
    List<ChatMessage> turns = new ArrayList<>();
    for (ChatMessage message : request.messages()) {
      if (ChatMessage.SYSTEM.equals(message.role())) {
        system.add(message.content());
      } else {
        turns.add(message);
      }
    }
    LlmRequest llm = new LlmRequest(endpoint, request.model(), system.isEmpty() ? null : String.join("\n\n", system),
        turns, Boolean.TRUE.equals(body.getValue("json")), request.maxTokens(), request.temperature());
    return client.complete(llm).map(reply -> new JsonObject()
        .put("content", reply.content())
        .put("usage", reply.usage().toJson()));
  }
}
