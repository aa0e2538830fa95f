package io.atrium.sessions;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** The {@code sessions:} section, with the folder where inputs are kept ({@code <data.dir>/conversations}). */
record SessionSettings(String claudeCommand, String openCodeCommand, List<Path> allowedRoots, Path claudeHome,
    long idleTimeoutMs, long maxRunMs, int maxLineBytes, int maxQueued, int concurrency, Path conversationsDir) {

  static SessionSettings fromJson(JsonObject config) {
    ConfigSection sessions = ConfigSection.of(config, "sessions");
    List<String> roots = sessions.strings("allowed_roots");
    String claudeHome = sessions.string("claude_home").strip();
    return new SessionSettings(
        sessions.string("claude_command").strip(),
        sessions.string("opencode_command").strip(),
        (roots.isEmpty() ? List.of(System.getProperty("user.home")) : roots).stream()
            .map(root -> Path.of(root).toAbsolutePath().normalize()).toList(),
        claudeHome.isEmpty() ? null : Path.of(claudeHome).toAbsolutePath().normalize(),
        Math.max(1, sessions.longInteger("idle_timeout_s")) * 1000,
        Math.max(1, sessions.longInteger("max_run_s")) * 1000,
        (int) Math.min(Integer.MAX_VALUE - 16, Math.max(64, sessions.longInteger("max_line_kb")) * 1024),
        Math.max(0, sessions.integer("max_queued")),
        Math.max(1, sessions.integer("concurrency")),
        Path.of(config.getString("conversations_dir")));
  }
}
