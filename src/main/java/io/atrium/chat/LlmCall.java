package io.atrium.chat;

import io.atrium.bus.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;

/** Turns what a provider did (an error status and body, a network failure) into an {@link LlmFailure}. */
final class LlmCall {
  private static final int MESSAGE_LIMIT = 500;

  private LlmCall() {
  }

  /** An error answer. {@code retryAfterSeconds} comes from the Retry-After header, when there was one. */
  static LlmFailure fromStatus(Endpoint endpoint, WireFormat wire, int status, String body, Long retryAfterSeconds) {
    Provider provider = endpoint.provider();
    JsonObject json = parse(body);
    String detail = json != null ? wire.errorMessage(json) : null;
    if (detail == null) {
      detail = body == null || body.isBlank() ? "no message" : body.strip();
    }
    detail = Secrets.scrub(detail.length() > MESSAGE_LIMIT ? detail.substring(0, MESSAGE_LIMIT) + "…" : detail,
        endpoint.apiKey());
    String name = provider.wireName();
    if (wire.refusedKey(status, json)) {
      return new LlmFailure(ErrorCode.UNAUTHORIZED, name + " refused the API key (" + status + "): " + detail,
          "api_key", provider, status, null);
    }
    if (status == 429) {
      return new LlmFailure(ErrorCode.RATE_LIMITED, name + " is rate limiting (429): " + detail, null, provider,
          status, retryAfterSeconds);
    }
    if (status == 404) {
      return new LlmFailure(ErrorCode.NOT_FOUND, name + " does not know this model or path (404): " + detail,
          "model", provider, status, null);
    }
    if (status == 413) {
      return new LlmFailure(ErrorCode.TOO_LARGE, name + " says the request is too large (413): " + detail, null,
          provider, status, null);
    }
    if (status >= 400 && status < 500) {
      return new LlmFailure(ErrorCode.INVALID_REQUEST, name + " rejected the request (" + status + "): " + detail,
          null, provider, status, null);
    }
    if (status >= 500) {
      return new LlmFailure(ErrorCode.UNAVAILABLE, name + " is failing (" + status + "): " + detail, null, provider,
          status, null);
    }
    return new LlmFailure(ErrorCode.BAD_GATEWAY, name + " answered with unexpected status " + status + ": " + detail,
        null, provider, status, null);
  }

  /** A transport failure: refused connection, reset, timeout. The exception text is scrubbed. */
  static LlmFailure fromException(Endpoint endpoint, Throwable cause, long timeoutMs) {
    if (cause instanceof LlmFailure failure) {
      return failure;
    }
    String name = endpoint.provider().wireName();
    String text = String.valueOf(cause.getMessage());
    if (cause instanceof TimeoutException || text.toLowerCase().contains("timeout")
        || text.contains("timed out")) {
      return LlmFailure.timeout(endpoint.provider(),
          name + " at " + endpoint.baseUrl() + " did not answer within " + timeoutMs + " ms");
    }
    // the cause's words, not its Java class (a user reads this)
    String why = cause.getMessage() == null || cause.getMessage().isBlank() ? "the connection failed" : text;
    return LlmFailure.of(ErrorCode.UNAVAILABLE, endpoint.provider(), name + " at " + endpoint.baseUrl()
        + " cannot be reached: " + Secrets.scrub(why, endpoint.apiKey()));
  }

  static LlmFailure circuitOpen(Endpoint endpoint, long resetMs) {
    return new LlmFailure(ErrorCode.UNAVAILABLE, endpoint.provider().wireName() + " at " + endpoint.baseUrl()
        + " keeps failing; atrium stopped calling it for a while (circuit open)", null, endpoint.provider(), null,
        Math.max(1, (resetMs + 999) / 1000));
  }

  /** An error event inside a streamed answer that had started well (e.g. Anthropic's overloaded_error). */
  static LlmFailure streamError(Provider provider, String message) {
    return LlmFailure.of(ErrorCode.UNAVAILABLE, provider, provider.wireName() + " reported an error while answering: "
        + (message == null ? "no message" : Secrets.scrub(message, null)));
  }

  /** Seconds to wait from {@code Retry-After} (delta-seconds or an HTTP date) or {@code retry-after-ms}; null if none. */
  static Long retryAfterSeconds(MultiMap headers) {
    String millis = headers.get("retry-after-ms");
    if (millis != null) {
      try {
        return Math.max(0, (long) Math.ceil(Double.parseDouble(millis.trim()) / 1000));
      } catch (NumberFormatException ignored) {
        // fall back to Retry-After
      }
    }
    return retryAfterSeconds(headers.get("retry-after"));
  }

  static Long retryAfterSeconds(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Math.max(0, (long) Math.ceil(Double.parseDouble(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, Duration.between(ZonedDateTime.now(when.getZone()), when).toSeconds());
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  private static JsonObject parse(String body) {
    if (body == null || !body.strip().startsWith("{")) {
      return null;
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException e) {
      return null;
    }
  }
}
