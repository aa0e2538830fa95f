package io.atrium.fakes;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The Anthropic Messages API as Claude Code reads it (event order and fields as in claude-code-capture). */
final class AnthropicWire implements CodingWire {
  static final AnthropicWire INSTANCE = new AnthropicWire();

  private AnthropicWire() {
  }

  @Override
  public boolean keyAccepted(HttpServerRequest request, String key) {
    // x-api-key from ANTHROPIC_API_KEY; a bearer token when the CLI is given ANTHROPIC_AUTH_TOKEN instead
    return key.equals(request.getHeader("x-api-key")) || ("Bearer " + key).equals(request.getHeader("authorization"));
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
    return false; // Claude Code --print sends no side requests to the model (claude-code-capture)
  }

  /** The text blocks of a content value; tool results and images are not the user typing. */
  private static String textOf(Object content) {
    if (content instanceof String text) {
      return text;
    }
    StringBuilder text = new StringBuilder();
    if (content instanceof JsonArray blocks) {
      for (Object block : blocks) {
        if (block instanceof JsonObject json && "text".equals(json.getString("type"))) {
          text.append(json.getString("text", "")).append('\n');
        }
      }
    }
    return text.toString();
  }

  @Override
  public Reply text(String model, List<String> pieces) {
    String id = CodingWire.id("msg_fake_");
    List<String> events = new ArrayList<>();
    events.add(messageStart(id, model));
    events.add(event("content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
        .put("content_block", new JsonObject().put("type", "text").put("text", ""))));
    events.add(event("ping", new JsonObject().put("type", "ping")));
    for (String piece : pieces) {
      events.add(event("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
          .put("delta", new JsonObject().put("type", "text_delta").put("text", piece))));
    }
    events.addAll(ending(pieces.size(), "end_turn"));
    JsonObject block = new JsonObject().put("type", "text").put("text", String.join("", pieces));
    return new Reply(events, message(id, model, block, "end_turn", pieces.size()));
  }

  @Override
  public Reply toolUse(String model, String command) {
    String id = CodingWire.id("msg_fake_");
    JsonObject input = new JsonObject().put("command", command).put("description", "Run the fake's marker command");
    JsonObject block = new JsonObject().put("type", "tool_use").put("id", CodingWire.id("toolu_fake_"))
        .put("name", "Bash");
    List<String> events = new ArrayList<>();
    events.add(messageStart(id, model));
    events.add(event("content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
        .put("content_block", block.copy().put("input", new JsonObject()))));
    String json = input.encode();
    int half = json.length() / 2;
    for (String partial : List.of(json.substring(0, half), json.substring(half))) {
      events.add(event("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
          .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", partial))));
    }
    events.addAll(ending(20, "tool_use"));
    return new Reply(events, message(id, model, block.put("input", input), "tool_use", 20));
  }

  private static String messageStart(String id, String model) {
    JsonObject message = message(id, model, null, null, 1);
    return event("message_start", new JsonObject().put("type", "message_start").put("message", message));
  }

  private static List<String> ending(int outputTokens, String stopReason) {
    return List.of(
        event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0)),
        event("message_delta", new JsonObject().put("type", "message_delta")
            .put("delta", new JsonObject().put("stop_reason", stopReason).putNull("stop_sequence"))
            .put("usage", new JsonObject().put("output_tokens", outputTokens))),
        event("message_stop", new JsonObject().put("type", "message_stop")));
  }

  /** {@code block} null and {@code stopReason} null: the empty message that opens a stream. */
  private static JsonObject message(String id, String model, JsonObject block, String stopReason, int outputTokens) {
    JsonArray content = block == null ? new JsonArray() : new JsonArray().add(block);
    return new JsonObject().put("id", id).put("type", "message").put("role", "assistant").put("model", model)
        .put("content", content).put("stop_reason", stopReason).putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", 12).put("output_tokens", outputTokens)
            .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0));
  }

  private static String event(String name, JsonObject data) {
    return "event: " + name + "\ndata: " + data.encode() + "\n\n";
  }

  @Override
  public JsonObject error(int status, String message) {
    String type = switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
    String usual = switch (status) {
      case 401 -> "invalid x-api-key";
      case 429 -> "Number of request tokens has exceeded your per-minute rate limit";
      case 529 -> "Overloaded";
      case 500 -> "Internal server error";
      default -> "Error " + status;
    };
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message == null ? usual : message))
        .put("request_id", CodingWire.id("req_fake_"));
  }

  @Override
  public JsonObject models() {
    JsonObject model = new JsonObject().put("type", "model").put("id", "claude-fake")
        .put("display_name", "Fake Claude").put("created_at", "2025-01-01T00:00:00Z");
    return new JsonObject().put("data", new JsonArray().add(model)).put("has_more", false)
        .put("first_id", "claude-fake").put("last_id", "claude-fake");
  }

  /** What count_tokens answers: about four characters a token; a plausible number is all a client needs. */
  static int roughTokens(JsonObject request) {
    return Math.max(1, request.encode().length() / 4);
  }
}
