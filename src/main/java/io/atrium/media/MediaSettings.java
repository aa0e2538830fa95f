package io.atrium.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code media:} section. Lists may be YAML lists or comma-separated strings (so that
 * {@code ATRIUM_MEDIA_SOURCE_DIRS=/downloads,/more} works from the environment).
 */
record MediaSettings(List<Path> sourceDirs, Path libraryDir, long scanIntervalS, Set<String> videoExtensions,
    Set<String> subtitleExtensions, long minVideoBytes, long stableS, int processors, long claimTimeoutS,
    long retryLaterS, String movieTemplate, String episodeTemplate, TmdbSettings tmdb, JsonObject llm,
    double minConfidence) {

  record TmdbSettings(String baseUrl, String apiKey, String bearerToken, String language, int requestsPerSecond,
      int maxAttempts, long retryBackoffMs, long maxRetryWaitMs, int breakerMaxFailures, long breakerResetMs,
      long timeoutMs, int cacheEntries) {
  }

  static MediaSettings fromJson(JsonObject media) {
    JsonObject llm = new JsonObject();
    for (String field : List.of("provider", "model", "api_key", "base_url")) {
      String value = media.getString("llm_" + field, "");
      if (!value.isBlank()) {
        llm.put(field, value);
      }
    }
    return new MediaSettings(
        strings(media.getValue("source_dirs")).stream().map(dir -> Path.of(dir).toAbsolutePath().normalize()).toList(),
        media.getString("library_dir", "").isBlank() ? null : Path.of(media.getString("library_dir")).toAbsolutePath().normalize(),
        Math.max(1, media.getLong("scan_interval_s", 300L)),
        lower(strings(media.getValue("video_extensions", "mkv,mp4,avi,m4v,mov,wmv,ts,m2ts,webm,flv,mpg,mpeg,rmvb,iso"))),
        lower(strings(media.getValue("subtitle_extensions", "srt,ass,ssa,sub,idx,vtt,sup"))),
        media.getLong("min_video_mb", 0L) * 1024 * 1024,
        media.getLong("stable_s", 60L),
        Math.max(1, media.getInteger("processors", 2)),
        Math.max(10, media.getLong("claim_timeout_s", 600L)),
        Math.max(1, media.getLong("retry_later_s", 300L)),
        media.getString("movie_template", "Movies/{title} ({year})/{title} ({year})"),
        media.getString("episode_template", "Shows/{title} ({year})/Season {season:02}/{title} S{season:02}E{episode:02}"),
        new TmdbSettings(
            media.getString("tmdb_base_url", "https://api.themoviedb.org/3"),
            blankToNull(media.getString("tmdb_api_key", "")),
            blankToNull(media.getString("tmdb_bearer_token", "")),
            media.getString("tmdb_language", "en-US"),
            Math.max(1, media.getInteger("tmdb_requests_per_second", 20)),
            Math.max(1, media.getInteger("tmdb_max_attempts", 4)),
            media.getLong("tmdb_retry_backoff_ms", 500L),
            media.getLong("tmdb_max_retry_wait_ms", 15_000L),
            Math.max(1, media.getInteger("tmdb_breaker_max_failures", 5)),
            media.getLong("tmdb_breaker_reset_ms", 30_000L),
            media.getLong("tmdb_timeout_ms", 10_000L),
            Math.max(16, media.getInteger("tmdb_cache_entries", 5000))),
        llm,
        media.getDouble("min_confidence", 0.6));
  }

  boolean tmdbConfigured() {
    return tmdb.apiKey() != null || tmdb.bearerToken() != null;
  }

  private static List<String> strings(Object value) {
    List<String> list = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(item -> list.add(String.valueOf(item).strip()));
    } else if (value instanceof String text) {
      for (String part : text.split(",")) {
        list.add(part.strip());
      }
    }
    list.removeIf(String::isEmpty);
    return list;
  }

  private static Set<String> lower(List<String> values) {
    return values.stream().map(v -> v.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "")).collect(Collectors.toSet());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
