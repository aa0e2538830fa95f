package io.atrium.ingest;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/** The ingest section of conf/atrium.yaml, plus where uploads are kept. */
record IngestSettings(int concurrency, int maxAttempts, long retryBackoffMs, long parseTimeoutMs, long embedTimeoutMs,
    long drainTimeoutMs, String filesDir) {

  static IngestSettings fromJson(JsonObject json) {
    ConfigSection ingest = new ConfigSection("ingest", json);
    return new IngestSettings(
        Math.max(1, ingest.integer("concurrency")),
        Math.max(1, ingest.integer("max_attempts")),
        ingest.longInteger("retry_backoff_ms"),
        // the parser answers its own time-limit failure: wait a little longer for that answer
        ingest.longInteger("parse_timeout_s") * 1000 + 10_000,
        ingest.longInteger("embed_timeout_s") * 1000,
        ingest.longInteger("drain_timeout_s") * 1000,
        ingest.string("files_dir"));
  }
}
