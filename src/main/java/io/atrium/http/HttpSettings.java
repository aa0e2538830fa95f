package io.atrium.http;

import io.atrium.config.ChatDeadline;
import io.atrium.config.ConfigSection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The http section of conf/atrium.yaml, and how long the routes that wait on a model wait: as long as the chat,
 * agent or media verticle may take, from the chat and agent sections.
 */
record HttpSettings(String host, int port, long jsonBodyLimitBytes, long chatBodyLimitBytes, UploadLimits uploads,
    ClientTimeouts timeouts, List<String> allowedOrigins, List<String> allowedHosts, long chatTimeoutMs,
    long agentTimeoutMs, long mediaTimeoutMs, long sessionInputTimeoutMs, String version, String uploadsTmpDir) {

  /** What one upload request may hold: its bytes, its parts (files and fields) and the length of a file name. */
  record UploadLimits(long maxBytes, int maxParts, int maxFilenameChars) {
  }

  /**
   * How long a client may take (see {@link ConnectionDeadlines}): to send a new connection's first request head, to
   * send the next request on a kept-alive connection, and the bytes a request body must bring in every window.
   */
  record ClientTimeouts(long headerMs, long idleMs, long bodyWindowMs, long bodyMinBytesPerWindow) {
  }

  /** The server's options: its address, and the multipart decoder's limits (every form is an upload here). */
  HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setCompressionSupported(true)
        // without cleartext HTTP/2 a connection is HTTP/1 from its first byte and is handed over at once, so its
        // deadlines run from its opening (Vert.x would otherwise wait for bytes to tell the two apart)
        .setHttp2ClearTextEnabled(false)
        // parts, files and fields (UploadBody counts the files before writing them), and the bytes of a part's
        // headers, which must hold a file name of upload_max_filename_chars in UTF-8
        .setMaxFormFields(uploads.maxParts())
        .setMaxFormBufferedBytes(Math.max(HttpServerOptions.DEFAULT_MAX_FORM_BUFFERED_SIZE,
            uploads.maxFilenameChars() * 4 + 1024));
  }

  /**
   * {@code config} holds the http, chat, agent and sessions sections, the build's version and the uploads' temporary
   * folder.
   */
  static HttpSettings fromJson(JsonObject config) {
    ConfigSection http = ConfigSection.of(config, "http");
    long chatTimeoutMs = ChatDeadline.ms(ConfigSection.of(config, "chat"));
    int agentAttempts = Math.max(1, ConfigSection.of(config, "agent").integer("max_attempts"));
    return new HttpSettings(
        http.string("host"),
        http.integer("port"),
        http.longInteger("json_body_limit_kb") * 1024,
        http.longInteger("chat_body_limit_kb") * 1024,
        new UploadLimits(http.longInteger("upload_limit_mb") * 1024 * 1024, atLeastOne(http, "upload_max_parts"),
            atLeastOne(http, "upload_max_filename_chars")),
        new ClientTimeouts(atLeastOne(http, "header_timeout_s") * 1000L, atLeastOne(http, "idle_timeout_s") * 1000L,
            atLeastOne(http, "body_timeout_s") * 1000L,
            Math.max(1, http.longInteger("body_min_rate_bytes_s") * http.longInteger("body_timeout_s"))),
        http.strings("allowed_origins"),
        http.strings("allowed_hosts"),
        chatTimeoutMs,
        // a suggestion may ask the model again after a refused answer
        chatTimeoutMs * agentAttempts + 30_000,
        // a retry or manual match processes the file while the request waits: recognition, TMDB lookups, the link
        chatTimeoutMs + 120_000,
        sessionInputTimeoutMs(ConfigSection.of(config, "sessions")),
        config.getString("version"),
        config.getString("uploads_tmp_dir"));
  }

  /** An input waits for the runs queued before it and then its own: each may take sessions.max_run_s. */
  private static long sessionInputTimeoutMs(ConfigSection sessions) {
    long maxRunMs = Math.max(1, sessions.longInteger("max_run_s")) * 1000;
    return maxRunMs * (Math.max(0, sessions.integer("max_queued")) + 1) + 60_000;
  }

  private static int atLeastOne(ConfigSection http, String key) {
    int value = http.integer(key);
    if (value < 1) {
      throw new IllegalArgumentException("http." + key + " must be at least 1, not " + value);
    }
    return value;
  }
}
