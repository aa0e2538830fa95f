package io.atrium.chat;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A validated {@code /chat/completions} request (seed 000's fields verbatim: provider, model, api_key, base_url,
 * messages, context_resource_ids; plus session_id, retrieve, stream, max_tokens, temperature). Seed 004's
 * {@code /api/v1/chat/ask} may send {@code question} instead of messages. Error texts name the field and never
 * repeat a value (it could be a key).
 */
public record ChatRequest(Provider provider, String model, String apiKey, String baseUrl, List<ChatMessage> messages,
    List<Long> contextResourceIds, Boolean retrieve, Long sessionId, boolean stream, Integer maxTokens,
    Double temperature, Long knowledgeBaseId) {
  static final int MAX_MESSAGES = 500;
  static final int MAX_CONTEXT_IDS = 100;
  private static final Set<String> ROLES = Set.of(ChatMessage.SYSTEM, ChatMessage.USER, ChatMessage.ASSISTANT);

  public static ChatRequest fromJson(JsonObject body) {
    if (body == null) {
      throw invalid("a JSON object body is required", null);
    }
    String providerName = Fields.text(body, "provider", Integer.MAX_VALUE, true);
    Provider provider = Provider.of(providerName);
    if (provider == null) {
      throw invalid("provider must be one of " + Provider.names(), "provider");
    }
    String model = Fields.text(body, "model", Integer.MAX_VALUE, true);
    if (model.length() > 200) {
      throw invalid("model is longer than 200 characters", "model");
    }
    String apiKey = Fields.text(body, "api_key", Integer.MAX_VALUE, false);
    if (apiKey != null && (apiKey.length() > 1000 || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
      throw invalid("api_key must be printable ASCII without spaces, at most 1000 characters", "api_key");
    }
    String baseUrl = Fields.optionalHttpUrl(body, "base_url");
    List<ChatMessage> messages = messages(body);
    List<Long> contextIds = contextIds(body.getValue("context_resource_ids"));
    Boolean retrieve = Fields.optionalBoolean(body, "retrieve");
    Long sessionId = Fields.optionalPositiveLong(body, "session_id");
    Boolean stream = Fields.optionalBoolean(body, "stream");
    Long maxTokens = Fields.optionalPositiveLong(body, "max_tokens");
    Object temperature = body.getValue("temperature");
    if (temperature != null && (!(temperature instanceof Number number) || number.doubleValue() < 0
        || number.doubleValue() > 2)) {
      throw invalid("temperature must be a number from 0 to 2", "temperature");
    }
    Object filters = body.getValue("filters");
    if (filters != null && !(filters instanceof JsonObject)) {
      throw invalid("filters must be an object {knowledge_base_id}", "filters");
    }
    Object base = filters == null ? null : ((JsonObject) filters).getValue("knowledge_base_id");
    if (base != null && (!(base instanceof Integer || base instanceof Long) || ((Number) base).longValue() <= 0)) {
      throw invalid("filters.knowledge_base_id must be a positive integer", "filters.knowledge_base_id");
    }
    Long knowledgeBase = base == null ? null : ((Number) base).longValue();
    return new ChatRequest(provider, model, apiKey, baseUrl, messages, contextIds, retrieve, sessionId,
        Boolean.TRUE.equals(stream), maxTokens == null ? null : (int) Math.min(maxTokens, Integer.MAX_VALUE),
        temperature == null ? null : ((Number) temperature).doubleValue(), knowledgeBase);
  }

  /** The last user message: what retrieval searches for and retrieval_logs records as the question. */
  public String question() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (ChatMessage.USER.equals(messages.get(i).role())) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  private static List<ChatMessage> messages(JsonObject body) {
    Object value = body.getValue("messages");
    if (value == null && body.getValue("question") instanceof String question && !question.isBlank()) {
      return List.of(new ChatMessage(ChatMessage.USER, question));
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw invalid("messages must be a non-empty array of {role, content}", "messages");
    }
    if (array.size() > MAX_MESSAGES) {
      throw invalid("messages has more than " + MAX_MESSAGES + " entries", "messages");
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String field = "messages[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject message)) {
        throw invalid(field + " must be an object {role, content}", field);
      }
      if (!(message.getValue("role") instanceof String role) || !ROLES.contains(role)) {
        throw invalid(field + ".role must be one of " + ROLES, field + ".role");
      }
      if (!(message.getValue("content") instanceof String content)) {
        throw invalid(field + ".content must be a string", field + ".content");
      }
      messages.add(new ChatMessage(role, content));
    }
    if (messages.stream().noneMatch(m -> ChatMessage.USER.equals(m.role()))) {
      throw invalid("messages must contain at least one user message", "messages");
    }
    return messages;
  }

  private static List<Long> contextIds(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_CONTEXT_IDS) {
      throw invalid("context_resource_ids must be an array of at most " + MAX_CONTEXT_IDS + " positive integers",
          "context_resource_ids");
    }
    List<Long> ids = new ArrayList<>();
    for (Object id : array) {
      if (!(id instanceof Integer || id instanceof Long) || ((Number) id).longValue() <= 0) {
        throw invalid("context_resource_ids must be an array of positive integers", "context_resource_ids");
      }
      ids.add(((Number) id).longValue());
    }
    return ids;
  }

  private static RuntimeException invalid(String message, String field) {
    return ErrorCode.INVALID_REQUEST.exception(message, field);
  }
}
