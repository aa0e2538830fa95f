package io.atrium.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.Locale;

/**
 * Failure codes of every event-bus request and HTTP answer. The failure code on the bus is the HTTP status the HTTP
 * layer answers with; the failure message is a {@link Failure} body so the field and the rest survive the hop.
 */
public enum ErrorCode {
  INVALID_REQUEST(400),
  /** A provider rejected the API key (its 401/403, or Gemini's 400 API_KEY_INVALID). */
  UNAUTHORIZED(401),
  /** A request atrium will not serve: a foreign Origin or Host (HTTP only). */
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  UNPROCESSABLE(422),
  /** A provider's rate limit; the failure body carries {@code retry_after} seconds when known. */
  RATE_LIMITED(429),
  INTERNAL(500),
  /** A provider answered with something atrium cannot read (malformed JSON, an unexpected shape or status). */
  BAD_GATEWAY(502),
  UNAVAILABLE(503),
  /** A step inside atrium did not answer within its time limit. */
  TIMEOUT(504);

  public final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Trying the same request again later may succeed: a rate limit, a failing or slow dependency, a bug's luck. */
  public boolean retryable() {
    return this == RATE_LIMITED || status >= 500;
  }

  /** The code of an HTTP status (a status atrium does not name: the nearest class, 400 or 500). */
  public static ErrorCode forStatus(int status) {
    for (ErrorCode code : values()) {
      if (code.status == status) {
        return code;
      }
    }
    return status >= 400 && status < 500 ? INVALID_REQUEST : INTERNAL;
  }

  /** The code of a wire name, or null for a name atrium does not use. */
  public static ErrorCode forWireName(String name) {
    for (ErrorCode code : values()) {
      if (code.wireName().equals(name)) {
        return code;
      }
    }
    return null;
  }

  /** Fails a request with this code. */
  public void fail(Message<?> message, String text) {
    fail(message, text, null);
  }

  public void fail(Message<?> message, String text, String field) {
    new Failure(this, text, field).replyTo(message);
  }

  /** An exception carrying this code, for failing a Future inside a verticle. */
  public ReplyException exception(String text) {
    return exception(text, null);
  }

  public ReplyException exception(String text, String field) {
    return new Failure(this, text, field).toException();
  }
}
