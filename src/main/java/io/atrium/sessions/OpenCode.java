package io.atrium.sessions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenCode ({@code opencode}): each turn is {@code opencode run --format json}, plus {@code --session <ses_id>} after
 * the first, run in the project folder (OpenCode resumes a session only from its own directory) with the input on
 * stdin (an argument with a space reaches the model quoted). Its JSON lines are whole parts — step_start, text,
 * tool_use (with the tool's output), step_finish — each with the sessionID, and one {@code error} line when it gives
 * up ({@code error.data.statusCode}: 401 at once; 429 and 5xx after its own retries). There is no result line: a run
 * that exits 0 without an error answered with the text it printed. Its history lives in its own SQLite database and
 * is read with {@code opencode export <ses_id>} ({@code {info, messages: [{info, parts}]}}).
 */
final class OpenCode implements CodingCli {
  @Override
  public String type() {
    return "opencode";
  }

  @Override
  public String programSetting() {
    return "sessions.opencode_command";
  }

  @Override
  public String keyVariable() {
    return "the provider's apiKey in its opencode.json";
  }

  @Override
  public List<String> command(String program, List<String> params, String rawConversationId, String input) {
    List<String> command = new ArrayList<>(List.of(program, "run", "--format", "json"));
    command.addAll(params);
    if (rawConversationId != null) {
      command.add("--session");
      command.add(rawConversationId);
    }
    return command;
  }

  @Override
  public void read(JsonObject line, TurnOutput turn) {
    turn.sessionId(line.getString("sessionID"));
    JsonObject part = line.getJsonObject("part", new JsonObject());
    switch (String.valueOf(line.getValue("type"))) {
      case "step_start" -> {
        if (!turn.started()) {
          turn.started(true);
          turn.event("status", new JsonObject().put("status", "started").put("session_id", line.getString("sessionID")));
        }
      }
      case "text" -> turn.textDelta(part.getString("text"));
      case "tool_use" -> {
        JsonObject state = part.getJsonObject("state", new JsonObject());
        String id = part.getString("callID", part.getString("id"));
        turn.event("tool_use", new JsonObject().put("tool_use_id", id).put("name", part.getString("tool"))
            .put("input", state.getValue("input")));
        if (state.containsKey("output") || "error".equals(state.getString("status"))) {
          turn.event("tool_result", new JsonObject().put("tool_use_id", id)
              .put("content", state.getValue("output", state.getValue("error")))
              .put("is_error", "error".equals(state.getString("status"))));
        }
      }
      case "step_finish" -> turn.addUsage(part.getJsonObject("tokens"), part.getValue("cost"));
      case "error" -> {
        JsonObject error = line.getJsonObject("error", new JsonObject());
        JsonObject data = error.getJsonObject("data", new JsonObject());
        Object status = data.getValue("statusCode");
        turn.error(status instanceof Number number ? number.intValue() : 0,
            data.getString("message", error.getString("name", "OpenCode reported an error")));
      }
      default -> {
        // other event types carry nothing a client follows
      }
    }
  }

  @Override
  public void ended(TurnOutput turn, int exitCode) {
    if (exitCode == 0 && turn.error() == null && turn.result() == null && turn.sessionId() != null) {
      turn.result(new JsonObject().put("text", turn.text()).put("session_id", turn.sessionId())
          .put("usage", turn.usage()).put("total_cost_usd", turn.cost()));
    }
  }

  @Override
  public Path transcript(Map<String, String> env, Path claudeHome, Path projectPath, String rawConversationId) {
    return null;
  }

  @Override
  public List<String> exportCommand(String program, String rawConversationId) {
    return List.of(program, "export", rawConversationId);
  }

  /** The messages of {@code opencode export}'s JSON, each {info, parts}, as synced messages (uuid: the message id). */
  static List<SyncedMessage> exported(JsonObject export) {
    List<SyncedMessage> messages = new ArrayList<>();
    for (Object item : export.getJsonArray("messages", new JsonArray())) {
      if (!(item instanceof JsonObject message) || !(message.getValue("info") instanceof JsonObject info)
          || info.getString("id") == null) {
        continue;
      }
      Object created = info.getJsonObject("time", new JsonObject()).getValue("created");
      String timestamp = created instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()).toString() : null;
      messages.add(new SyncedMessage(info.getString("id"), "assistant".equals(info.getString("role")) ? "assistant" : "user",
          message, timestamp));
    }
    return messages;
  }

  /** What an exported message said: its text parts, and each tool call with its input and output. */
  static String searchableText(JsonObject message) {
    List<String> parts = new ArrayList<>();
    for (Object item : message.getJsonArray("parts", new JsonArray())) {
      if (!(item instanceof JsonObject part)) {
        continue;
      }
      switch (part.getString("type", "")) {
        case "text" -> parts.add(part.getString("text", ""));
        case "tool" -> {
          JsonObject state = part.getJsonObject("state", new JsonObject());
          Object input = state.getValue("input");
          parts.add("tool_use " + part.getString("tool") + ": " + (input instanceof JsonObject json ? json.encode() : String.valueOf(input)));
          if (state.getValue("output") != null) {
            parts.add(String.valueOf(state.getValue("output")));
          }
        }
        default -> {
          // step markers, reasoning, snapshots
        }
      }
    }
    return String.join("\n", parts).strip();
  }
}
