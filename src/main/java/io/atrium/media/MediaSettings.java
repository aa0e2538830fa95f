package io.atrium.media;

import io.atrium.config.ChatDeadline;
import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code media:} section. Lists may be YAML lists or comma-separated strings (so that
 * {@code ATRIUM_MEDIA_SOURCE_DIRS=/downloads,/more} works from the environment). A recognition by an LLM waits as
 * long as chat may take to answer it.
 */
record MediaSettings(List<Path> sourceDirs, Path libraryDir, long scanIntervalS, Set<String> videoExtensions,
    Set<String> subtitleExtensions, long minVideoBytes, long stableS, int processors, long claimTimeoutS,
    long retryLaterS, String movieTemplate, String episodeTemplate, TmdbSettings tmdb, JsonObject llm,
    long llmTimeoutMs, double minConfidence) {

  record TmdbSettings(String baseUrl, String apiKey, String bearerToken, String language, int requestsPerSecond,
      int maxAttempts, long retryBackoffMs, long maxRetryWaitMs, int breakerMaxFailures, long breakerResetMs,
      long timeoutMs, int cacheEntries) {
  }

  /** {@code config} holds the media section and the chat section that bounds a recognition by an LLM. */
  static MediaSettings fromJson(JsonObject config) {
    ConfigSection media = ConfigSection.of(config, "media");
    JsonObject llm = new JsonObject();
    for (String field : List.of("provider", "model", "api_key", "base_url")) {
      String value = field.equals("base_url") ? media.httpUrl("llm_base_url", true) : media.string("llm_" + field);
      if (!value.isBlank()) {
        llm.put(field, value);
      }
    }
    return new MediaSettings(
        media.strings("source_dirs").stream().map(dir -> Path.of(dir).toAbsolutePath().normalize()).toList(),
        media.string("library_dir").isBlank() ? null : Path.of(media.string("library_dir")).toAbsolutePath().normalize(),
        Math.max(1, media.longInteger("scan_interval_s")),
        lower(media.strings("video_extensions")),
        lower(media.strings("subtitle_extensions")),
        media.longInteger("min_video_mb") * 1024 * 1024,
        media.longInteger("stable_s"),
        Math.max(1, media.integer("processors")),
        Math.max(10, media.longInteger("claim_timeout_s")),
        Math.max(1, media.longInteger("retry_later_s")),
        media.string("movie_template"),
        media.string("episode_template"),
        new TmdbSettings(
            media.httpUrl("tmdb_base_url", false),
            blankToNull(media.string("tmdb_api_key")),
            blankToNull(media.string("tmdb_bearer_token")),
            media.string("tmdb_language"),
            Math.max(1, media.integer("tmdb_requests_per_second")),
            Math.max(1, media.integer("tmdb_max_attempts")),
            media.longInteger("tmdb_retry_backoff_ms"),
            media.longInteger("tmdb_max_retry_wait_ms"),
            Math.max(1, media.integer("tmdb_breaker_max_failures")),
            media.longInteger("tmdb_breaker_reset_ms"),
            media.longInteger("tmdb_timeout_ms"),
            Math.max(16, media.integer("tmdb_cache_entries"))),
        llm,
        ChatDeadline.ms(ConfigSection.of(config, "chat")),
        media.decimal("min_confidence"));
  }

  boolean tmdbConfigured() {
    return tmdb.apiKey() != null || tmdb.bearerToken() != null;
  }

  private static Set<String> lower(List<String> values) {
    return values.stream().map(v -> v.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "")).collect(Collectors.toSet());
  }

  private static String blankToNull(String value) {
    return value.isBlank() ? null : value;
  }
}
