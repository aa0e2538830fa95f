package io.atrium.ingest;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/**
 * The ingest section of conf/atrium.yaml, plus where uploads are kept and how long a parse may take (the parse
 * section: {@code config} holds both sections and {@code files_dir}).
 */
record IngestSettings(int concurrency, int maxAttempts, long retryBackoffMs, long parseTimeoutMs, long embedTimeoutMs,
    long drainTimeoutMs, String filesDir) {

  /** The longest a parser process may take to start (ParserProcess's own limit). */
  static final long PARSER_START_S = 60;

  static IngestSettings fromJson(JsonObject json) {
    ConfigSection ingest = ConfigSection.of(json, "ingest");
    ConfigSection parse = ConfigSection.of(json, "parse");
    int concurrency = Math.max(1, ingest.integer("concurrency"));
    // A parse request waits at the parse workers behind the other files being ingested, each of which takes at most
    // parse.timeout_s (and a fresh parser process when the last one was stopped); waiting less than that failed a file
    // whose parse had not even started while its request ran on.
    long queuedParses = (concurrency + Math.max(1, parse.integer("instances")) - 1) / Math.max(1, parse.integer("instances"));
    long parseWaitMs = queuedParses * (parse.longInteger("timeout_s") + PARSER_START_S) * 1000 + 10_000;
    return new IngestSettings(
        concurrency,
        Math.max(1, ingest.integer("max_attempts")),
        ingest.longInteger("retry_backoff_ms"),
        parseWaitMs,
        ingest.longInteger("embed_timeout_s") * 1000,
        ingest.longInteger("drain_timeout_s") * 1000,
        json.getString("files_dir"));
  }
}
