package io.atrium.http;

import io.atrium.config.ChatDeadline;
import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The http section of conf/atrium.yaml, and how long the routes that wait on a model wait: as long as the chat,
 * agent or media verticle may take, from the chat and agent sections.
 */
record HttpSettings(String host, int port, long jsonBodyLimitBytes, long chatBodyLimitBytes, long uploadLimitBytes,
    List<String> allowedOrigins, List<String> allowedHosts, long chatTimeoutMs, long agentTimeoutMs, long mediaTimeoutMs,
    String version, String uploadsTmpDir) {

  /** {@code config} holds the http, chat and agent sections, the build's version and the uploads' temporary folder. */
  static HttpSettings fromJson(JsonObject config) {
    ConfigSection http = ConfigSection.of(config, "http");
    long chatTimeoutMs = ChatDeadline.ms(ConfigSection.of(config, "chat"));
    int agentAttempts = Math.max(1, ConfigSection.of(config, "agent").integer("max_attempts"));
    return new HttpSettings(
        http.string("host"),
        http.integer("port"),
        http.longInteger("json_body_limit_kb") * 1024,
        http.longInteger("chat_body_limit_kb") * 1024,
        http.longInteger("upload_limit_mb") * 1024 * 1024,
        http.strings("allowed_origins"),
        http.strings("allowed_hosts"),
        chatTimeoutMs,
        // a suggestion may ask the model again after a refused answer
        chatTimeoutMs * agentAttempts + 30_000,
        // a retry or manual match processes the file while the request waits: recognition, TMDB lookups, the link
        chatTimeoutMs + 120_000,
        config.getString("version"),
        config.getString("uploads_tmp_dir"));
  }
}
