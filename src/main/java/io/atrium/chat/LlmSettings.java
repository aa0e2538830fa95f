package io.atrium.chat;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/**
 * How {@link LlmClient} calls providers ({@code chat:} section of conf/atrium.yaml): timeouts, retries, circuit
 * breaker and Anthropic's fixed request parts.
 */
public record LlmSettings(long connectTimeoutMs, long timeoutMs, int maxAttempts, long retryBackoffMs,
    long maxRetryWaitMs, int breakerMaxFailures, long breakerResetMs, String anthropicVersion, int anthropicMaxTokens) {

  public static LlmSettings fromJson(JsonObject json) {
    ConfigSection chat = new ConfigSection("chat", json);
    return new LlmSettings(
        chat.longInteger("connect_timeout_ms"),
        chat.longInteger("timeout_ms"),
        Math.max(1, chat.integer("max_attempts")),
        chat.longInteger("retry_backoff_ms"),
        chat.longInteger("max_retry_wait_ms"),
        Math.max(1, chat.integer("breaker_max_failures")),
        chat.longInteger("breaker_reset_ms"),
        chat.string("anthropic_version"),
        chat.integer("anthropic_max_tokens"));
  }
}
