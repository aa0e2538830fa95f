package io.atrium.sessions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Claude Code ({@code claude}): each turn is {@code claude --print --output-format stream-json --verbose
 * --include-partial-messages}, plus {@code --resume <session_id>} after the first; the input goes on stdin, so no
 * input is ever read as an option. The stream's lines are system/init (the session id), stream_event (text deltas),
 * assistant (tool calls), user (tool results) and one result, which carries the CLI's error as {@code is_error} with
 * {@code api_error_status} (the captures of its 401, 429 and 500). Its history is
 * {@code <config dir>/projects/<folder slug>/<session_id>.jsonl}.
 */
final class ClaudeCode implements CodingCli {
  @Override
  public String type() {
    return "claudecode";
  }

  @Override
  public String programSetting() {
    return "sessions.claude_command";
  }

  @Override
  public String keyVariable() {
    return "ANTHROPIC_API_KEY";
  }

  @Override
  public List<String> command(String program, List<String> params, String rawConversationId, String input) {
    List<String> command = new ArrayList<>(List.of(program, "--print", "--output-format", "stream-json", "--verbose",
        "--include-partial-messages"));
    command.addAll(params);
    if (rawConversationId != null) {
      command.add("--resume");
      command.add(rawConversationId);
    }
    return command;
  }

  @Override
  public void read(JsonObject line, TurnOutput turn) {
    turn.sessionId(line.getString("session_id"));
    switch (String.valueOf(line.getValue("type"))) {
      case "system" -> {
        if ("init".equals(line.getString("subtype"))) {
          turn.event("status", new JsonObject().put("status", "started").put("session_id", line.getString("session_id"))
              .put("model", line.getString("model")));
        }
      }
      case "stream_event" -> streamEvent(line.getJsonObject("event", new JsonObject()), turn);
      case "assistant" -> blocks(line, turn);
      case "user" -> blocks(line, turn);
      case "result" -> result(line, turn);
      default -> {
        // rate-limit notices and other status lines carry nothing a client follows
      }
    }
  }

  private static void streamEvent(JsonObject event, TurnOutput turn) {
    String type = event.getString("type", "");
    if (type.equals("message_start")) {
      turn.messageStarted(true);
    } else if (type.equals("content_block_delta")) {
      JsonObject delta = event.getJsonObject("delta", new JsonObject());
      if ("text_delta".equals(delta.getString("type"))) {
        turn.textDelta(delta.getString("text"));
      }
    }
  }

  private static void blocks(JsonObject line, TurnOutput turn) {
    JsonObject message = line.getJsonObject("message", new JsonObject());
    if (!(message.getValue("content") instanceof JsonArray content)) {
      return;
    }
    for (Object item : content) {
      if (!(item instanceof JsonObject block)) {
        continue;
      }
      switch (block.getString("type", "")) {
        case "text" -> turn.wholeText(block.getString("text"));
        case "tool_use" -> turn.event("tool_use", new JsonObject().put("tool_use_id", block.getString("id"))
            .put("name", block.getString("name")).put("input", block.getValue("input")));
        case "tool_result" -> turn.event("tool_result", new JsonObject().put("tool_use_id", block.getString("tool_use_id"))
            .put("content", block.getValue("content")).put("is_error", block.getBoolean("is_error", false)));
        default -> {
          // thinking blocks and the like stay in the transcript
        }
      }
    }
    if ("assistant".equals(line.getString("type"))) {
      turn.messageStarted(false);
    }
  }

  private static void result(JsonObject line, TurnOutput turn) {
    if (line.getBoolean("is_error", false)) {
      Object status = line.getValue("api_error_status");
      turn.error(status instanceof Number number ? number.intValue() : 0,
          line.getString("result", line.getString("subtype", "the CLI reported an error")));
      return;
    }
    turn.result(new JsonObject().put("text", line.getString("result", turn.text()))
        .put("session_id", line.getString("session_id")).put("num_turns", line.getValue("num_turns"))
        .put("duration_ms", line.getValue("duration_ms")).put("total_cost_usd", line.getValue("total_cost_usd"))
        .put("usage", line.getValue("usage")).put("stop_reason", line.getValue("stop_reason")));
  }

  @Override
  public Path transcript(Map<String, String> env, Path claudeHome, Path projectPath, String rawConversationId) {
    Path configDir = claudeHome != null ? claudeHome
        : env.containsKey("CLAUDE_CONFIG_DIR") ? Path.of(env.get("CLAUDE_CONFIG_DIR"))
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".claude");
    Path projects = configDir.resolve("projects");
    String file = rawConversationId + ".jsonl";
    Path bySlug = projects.resolve(slug(projectPath)).resolve(file);
    if (Files.exists(bySlug)) {
      return bySlug;
    }
    // the folder name is the CLI's business (its rule for long or unusual paths may differ): look for the session
    try (var folders = Files.list(projects)) {
      return folders.map(folder -> folder.resolve(file)).filter(Files::exists).findFirst().orElse(bySlug);
    } catch (java.io.IOException e) {
      return bySlug;
    }
  }

  /** Claude Code's folder name for a working directory: every character but letters and digits becomes '-'. */
  static String slug(Path projectPath) {
    return projectPath.toString().replaceAll("[^A-Za-z0-9]", "-");
  }
}
