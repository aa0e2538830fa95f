package io.atrium.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * Failure codes of every event-bus request. The failure code on the bus is the HTTP status the HTTP layer answers
 * with; the failure message is a JSON object {code, message, field?} so the field survives the hop.
 */
public enum ErrorCode {
  INVALID_REQUEST(400),
  /** A provider rejected the API key (its 401/403, or Gemini's 400 API_KEY_INVALID). */
  UNAUTHORIZED(401),
  NOT_FOUND(404),
  CONFLICT(409),
  TOO_LARGE(413),
  UNPROCESSABLE(422),
  /** A provider's rate limit; the failure body carries {@code retry_after} seconds when known. */
  RATE_LIMITED(429),
  INTERNAL(500),
  /** A provider answered with something atrium cannot read (malformed JSON, an unexpected shape or status). */
  BAD_GATEWAY(502),
  UNAVAILABLE(503);

  public final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public String wireName() {
    return name().toLowerCase();
  }

  /** Fails a request with this code. */
  public void fail(Message<?> message, String text) {
    fail(message, text, null);
  }

  public void fail(Message<?> message, String text, String field) {
    message.fail(status, body(text, field).encode());
  }

  /** An exception carrying this code, for failing a Future inside a verticle. */
  public ReplyException exception(String text) {
    return exception(text, null);
  }

  public ReplyException exception(String text, String field) {
    return new ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, status, body(text, field).encode());
  }

  public JsonObject body(String text, String field) {
    JsonObject error = new JsonObject().put("code", wireName()).put("message", text);
    if (field != null) {
      error.put("field", field);
    }
    return error;
  }

  /** Replies to {@code message} with the failure {@code cause}, keeping its code when it already carries one. */
  public static void replyFailure(Message<?> message, Throwable cause) {
    if (cause instanceof ReplyException reply && reply.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
      message.fail(reply.failureCode(), reply.getMessage());
    } else if (cause instanceof ReplyException reply) {
      UNAVAILABLE.fail(message, "a dependency did not answer: " + reply.getMessage());
    } else {
      INTERNAL.fail(message, String.valueOf(cause.getMessage()));
    }
  }
}
