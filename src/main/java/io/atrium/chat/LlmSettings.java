package io.atrium.chat;

import io.vertx.core.json.JsonObject;

/**
 * How {@link LlmClient} calls providers ({@code chat:} section of conf/atrium.yaml): timeouts, retries, circuit
 * breaker and Anthropic's fixed request parts.
 */
public record LlmSettings(long connectTimeoutMs, long timeoutMs, int maxAttempts, long retryBackoffMs,
    long maxRetryWaitMs, int breakerMaxFailures, long breakerResetMs, String anthropicVersion, int anthropicMaxTokens) {

  public static LlmSettings fromJson(JsonObject chat) {
    return new LlmSettings(
        chat.getLong("connect_timeout_ms", 5_000L),
        chat.getLong("timeout_ms", 120_000L),
        Math.max(1, chat.getInteger("max_attempts", 3)),
        chat.getLong("retry_backoff_ms", 500L),
        chat.getLong("max_retry_wait_ms", 10_000L),
        Math.max(1, chat.getInteger("breaker_max_failures", 5)),
        chat.getLong("breaker_reset_ms", 30_000L),
        chat.getString("anthropic_version", "2023-06-01"),
        chat.getInteger("anthropic_max_tokens", 4096));
  }
}
