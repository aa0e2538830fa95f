package io.atrium.agent;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Validation of the agent endpoints' bodies (seed 000's fields verbatim, plus the optional provider, api_key,
 * base_url and async). Error texts name the field and never repeat a value.
 */
final class AgentRequest {
  static final int MAX_TITLE = 500;
  static final int MAX_TEXT = 20_000;
  static final int MAX_CHUNK_IDS = 200;

  private AgentRequest() {
  }

  /** The provider fields of a model call, defaults filled in; api_key and base_url only when given. */
  static JsonObject llmFields(JsonObject body, AgentSettings settings) {
    JsonObject llm = new JsonObject()
        .put("provider", optionalString(body, "provider", 50, settings.provider()))
        .put("model", optionalString(body, "model", 200, settings.model()));
    String apiKey = optionalString(body, "api_key", 2000, null);
    if (apiKey != null) {
      llm.put("api_key", apiKey);
    }
    String baseUrl = Fields.optionalHttpUrl(body, "base_url");
    if (baseUrl != null) {
      llm.put("base_url", baseUrl);
    }
    return llm;
  }

  static JsonObject decompose(JsonObject body) {
    JsonObject task = new JsonObject().put("title", Fields.text(body, "title", MAX_TITLE, true));
    task.put("description", optionalString(body, "description", MAX_TEXT, null));
    task.put("context", optionalString(body, "context", MAX_TEXT, null));
    task.put("task_id", Fields.optionalPositiveLong(body, "task_id"));
    return task;
  }

  /** {resource_id, chunk_ids}: seed 000 sends chunk ids as strings ("1"); numbers are accepted too. */
  static JsonObject tag(JsonObject body) {
    Long resourceId = Fields.optionalPositiveLong(body, "resource_id");
    if (resourceId == null) {
      throw invalid("resource_id is required", "resource_id");
    }
    Object list = body.getValue("chunk_id_list");
    List<Long> ids = new ArrayList<>();
    if (list != null) {
      if (!(list instanceof JsonArray array) || array.size() > MAX_CHUNK_IDS) {
        throw invalid("chunk_id_list must be an array of at most " + MAX_CHUNK_IDS + " chunk ids", "chunk_id_list");
      }
      for (Object id : array) {
        ids.add(chunkId(id));
      }
    }
    return new JsonObject().put("resource_id", resourceId).put("chunk_ids", new JsonArray(ids.stream().distinct().toList()));
  }

  static boolean async(JsonObject body) {
    return Boolean.TRUE.equals(Fields.optionalBoolean(body, "async"));
  }


  private static long chunkId(Object id) {
    try {
      long value = id instanceof Number number && !(id instanceof Double || id instanceof Float) ? number.longValue()
          : id instanceof String text ? Long.parseLong(text.strip()) : -1;
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid("every item of chunk_id_list must be a positive chunk id", "chunk_id_list");
  }

  private static String optionalString(JsonObject body, String field, int max, String otherwise) {
    String value = Fields.optionalString(body, field, max);
    return value == null ? otherwise : value;
  }


  static ReplyException invalid(String message, String field) {
    return ErrorCode.INVALID_REQUEST.exception(message, field);
  }
}
