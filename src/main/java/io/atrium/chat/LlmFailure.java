package io.atrium.chat;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Failure;
import io.vertx.core.json.JsonObject;

/**
 * Why a provider call failed, as the caller will see it: an {@link ErrorCode} (its HTTP status), a message that never
 * contains a key, the provider and the status it answered with, and for rate limits the seconds to wait.
 * Stackless: it describes a remote answer, not a bug.
 */
public final class LlmFailure extends RuntimeException implements Failure.Carrier {
  public final ErrorCode code;
  public final String field;
  public final Provider provider;
  public final Integer providerStatus;
  public final Long retryAfterSeconds;
  /** The provider did not answer within the call's time limit (another attempt would wait as long again). */
  public final boolean timedOut;

  public LlmFailure(ErrorCode code, String message, String field, Provider provider, Integer providerStatus,
      Long retryAfterSeconds) {
    this(code, message, field, provider, providerStatus, retryAfterSeconds, false);
  }

  private LlmFailure(ErrorCode code, String message, String field, Provider provider, Integer providerStatus,
      Long retryAfterSeconds, boolean timedOut) {
    super(message, null, false, false);
    this.timedOut = timedOut;
    this.code = code;
    this.field = field;
    this.provider = provider;
    this.providerStatus = providerStatus;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static LlmFailure of(ErrorCode code, Provider provider, String message) {
    return new LlmFailure(code, message, null, provider, null, null);
  }

  /** The provider took longer than {@code timeoutMs}: unavailable for now. */
  static LlmFailure timeout(Provider provider, String message) {
    return new LlmFailure(ErrorCode.UNAVAILABLE, message, null, provider, null, null, true);
  }

  /** The failure of the bus contract: {code, message, field?, retry_after?, retryable, provider, provider_status?}. */
  @Override
  public Failure failure() {
    JsonObject details = new JsonObject();
    if (provider != null) {
      details.put("provider", provider.wireName());
    }
    if (providerStatus != null) {
      details.put("provider_status", providerStatus);
    }
    return new Failure(code, getMessage(), field, retryAfterSeconds, details);
  }

  public JsonObject toJson() {
    return failure().toJson();
  }
}
