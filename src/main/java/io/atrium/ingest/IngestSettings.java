package io.atrium.ingest;

import io.vertx.core.json.JsonObject;

/** The ingest section of conf/atrium.yaml, plus where uploads are kept. */
record IngestSettings(int concurrency, int maxAttempts, long retryBackoffMs, long parseTimeoutMs, long embedTimeoutMs,
    long drainTimeoutMs, String filesDir) {

  static IngestSettings fromJson(JsonObject json) {
    return new IngestSettings(
        Math.max(1, json.getInteger("concurrency", 2)),
        Math.max(1, json.getInteger("max_attempts", 3)),
        json.getLong("retry_backoff_ms", 2000L),
        json.getLong("parse_timeout_s", 120L) * 1000 + 10_000,
        json.getLong("embed_timeout_s", 1800L) * 1000,
        json.getLong("drain_timeout_s", 30L) * 1000,
        json.getString("files_dir"));
  }
}
