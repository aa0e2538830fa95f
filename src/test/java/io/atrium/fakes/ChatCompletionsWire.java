package io.atrium.fakes;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The OpenAI chat-completions API as OpenCode's {@code @ai-sdk/openai-compatible} provider reads it. */
final class ChatCompletionsWire implements CodingWire {
  static final ChatCompletionsWire INSTANCE = new ChatCompletionsWire();

  private ChatCompletionsWire() {
  }

  @Override
  public boolean keyAccepted(HttpServerRequest request, String key) {
    return ("Bearer " + key).equals(request.getHeader("authorization"));
  }

  @Override
  public UserTurns.Seen seen(JsonObject request) {
    List<String> texts = new ArrayList<>();
    for (Object item : request.getJsonArray("messages", new JsonArray())) {
      JsonObject message = (JsonObject) item;
      if ("user".equals(message.getString("role"))) {
        texts.add(textOf(message.getValue("content")));
      }
    }
    return UserTurns.of(texts);
  }

  @Override
  public boolean isSideRequest(JsonObject request) {
    // OpenCode names a new session by asking the model, before or beside the first turn
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    return !messages.isEmpty() && messages.getValue(0) instanceof JsonObject first
        && "system".equals(first.getString("role"))
        && textOf(first.getValue("content")).startsWith("You are a title generator");
  }

  private static String textOf(Object content) {
    if (content instanceof String text) {
      return text;
    }
    StringBuilder text = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof JsonObject json && "text".equals(json.getString("type"))) {
          text.append(json.getString("text", "")).append('\n');
        }
      }
    }
    return text.toString();
  }

  @Override
  public Reply text(String model, List<String> pieces) {
    String id = CodingWire.id("chatcmpl-fake");
    List<String> events = new ArrayList<>();
    events.add(chunk(id, model, new JsonObject().put("role", "assistant").put("content", ""), null));
    for (String piece : pieces) {
      events.add(chunk(id, model, new JsonObject().put("content", piece), null));
    }
    events.addAll(ending(id, model, "stop", pieces.size()));
    JsonObject message = new JsonObject().put("role", "assistant").put("content", String.join("", pieces));
    return new Reply(events, completion(id, model, message, "stop", pieces.size()));
  }

  @Override
  public Reply toolUse(String model, String command) {
    String id = CodingWire.id("chatcmpl-fake");
    String callId = CodingWire.id("call_fake_");
    String arguments = new JsonObject().put("command", command).put("description", "Run the fake's marker command")
        .encode();
    JsonObject function = new JsonObject().put("name", "bash").put("arguments", "");
    List<String> events = new ArrayList<>();
    events.add(chunk(id, model, new JsonObject().put("role", "assistant").putNull("content").put("tool_calls",
        new JsonArray().add(new JsonObject().put("index", 0).put("id", callId).put("type", "function")
            .put("function", function))), null));
    int half = arguments.length() / 2;
    for (String partial : List.of(arguments.substring(0, half), arguments.substring(half))) {
      events.add(chunk(id, model, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
          .put("index", 0).put("function", new JsonObject().put("arguments", partial)))), null));
    }
    events.addAll(ending(id, model, "tool_calls", 20));
    JsonObject message = new JsonObject().put("role", "assistant").putNull("content").put("tool_calls",
        new JsonArray().add(new JsonObject().put("id", callId).put("type", "function")
            .put("function", function.copy().put("arguments", arguments))));
    return new Reply(events, completion(id, model, message, "tool_calls", 20));
  }

  /** The finishing chunk, the usage chunk ({@code stream_options.include_usage}) and the {@code [DONE]} line. */
  private static List<String> ending(String id, String model, String finishReason, int completionTokens) {
    JsonObject usage = chunkBody(id, model).put("choices", new JsonArray()).put("usage", usage(completionTokens));
    return List.of(chunk(id, model, new JsonObject(), finishReason), "data: " + usage.encode() + "\n\n",
        "data: [DONE]\n\n");
  }

  private static String chunk(String id, String model, JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finishReason);
    return "data: " + chunkBody(id, model).put("choices", new JsonArray().add(choice)).encode() + "\n\n";
  }

  private static JsonObject chunkBody(String id, String model) {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk")
        .put("created", System.currentTimeMillis() / 1000).put("model", model);
  }

  private static JsonObject completion(String id, String model, JsonObject message, String finishReason, int tokens) {
    JsonObject choice = new JsonObject().put("index", 0).put("message", message).put("finish_reason", finishReason);
    return new JsonObject().put("id", id).put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000).put("model", model)
        .put("choices", new JsonArray().add(choice)).put("usage", usage(tokens));
  }

  private static JsonObject usage(int completionTokens) {
    return new JsonObject().put("prompt_tokens", 12).put("completion_tokens", completionTokens)
        .put("total_tokens", 12 + completionTokens);
  }

  @Override
  public JsonObject error(int status, String message) {
    JsonObject error = switch (status) {
      case 401 -> body("Incorrect API key provided. You can find your API key at "
          + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
      case 429 -> body("Rate limit reached for requests. Please try again in 1s.", "requests", "rate_limit_exceeded");
      case 404 -> body("Not found", "invalid_request_error", "not_found");
      default -> body("The server had an error while processing your request. Sorry about that!", "server_error",
          null);
    };
    if (message != null) {
      error.getJsonObject("error").put("message", message);
    }
    return error;
  }

  private static JsonObject body(String message, String type, String code) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type).putNull("param")
        .put("code", code));
  }

  @Override
  public JsonObject models() {
    JsonObject model = new JsonObject().put("id", "fake-model").put("object", "model").put("created", 1735689600)
        .put("owned_by", "atrium-fake");
    return new JsonObject().put("object", "list").put("data", new JsonArray().add(model));
  }
}
