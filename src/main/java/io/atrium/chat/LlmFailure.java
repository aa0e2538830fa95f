package io.atrium.chat;

import io.atrium.bus.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Why a provider call failed, as the caller will see it: an {@link ErrorCode} (its HTTP status), a message that never
 * contains a key, the provider and the status it answered with, and for rate limits the seconds to wait.
 * Stackless: it describes a remote answer, not a bug.
 */
public final class LlmFailure extends RuntimeException {
  public final ErrorCode code;
  public final String field;
  public final Provider provider;
  public final Integer providerStatus;
  public final Long retryAfterSeconds;

  public LlmFailure(ErrorCode code, String message, String field, Provider provider, Integer providerStatus,
      Long retryAfterSeconds) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
    this.provider = provider;
    this.providerStatus = providerStatus;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static LlmFailure of(ErrorCode code, Provider provider, String message) {
    return new LlmFailure(code, message, null, provider, null, null);
  }

  /** The failure body of the bus contract: {code, message, field?, provider, provider_status?, retry_after?}. */
  public JsonObject toJson() {
    JsonObject json = code.body(getMessage(), field);
    if (provider != null) {
      json.put("provider", provider.wireName());
    }
    if (providerStatus != null) {
      json.put("provider_status", providerStatus);
    }
    if (retryAfterSeconds != null) {
      json.put("retry_after", retryAfterSeconds);
    }
    return json;
  }

  public ReplyException toReply() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.status, toJson().encode());
  }
}
