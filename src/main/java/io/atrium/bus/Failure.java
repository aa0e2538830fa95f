package io.atrium.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What went wrong, however a request failed: the one reading of a failed {@code Future} that the bus adapter, the
 * HTTP layer and every caller share. On the bus it travels as the failure code (its HTTP status) and a JSON message
 * {@code {code, message, field?, retry_after?, retryable, …details}}, so it survives a hop between nodes.
 *
 * @param code what kind of failure, with its HTTP status
 * @param message for the person reading it: never a key, a stack trace or a Java class name
 * @param field the request field at fault, when one is
 * @param retryAfterSeconds how long to wait before trying again, when known (rate limits, an open circuit)
 * @param details further fields of the failure body (a provider's name and status), never null
 */
public record Failure(ErrorCode code, String message, String field, Long retryAfterSeconds, JsonObject details) {
  private static final Logger LOG = LoggerFactory.getLogger(Failure.class);
  private static final Pattern TIMED_OUT_ADDRESS = Pattern.compile("repliedAddress: ([\\w.-]+)");
  private static final Set<String> OWN_FIELDS = Set.of("code", "message", "field", "retry_after", "retryable");

  public Failure {
    details = details == null ? new JsonObject() : details;
  }

  public Failure(ErrorCode code, String message, String field) {
    this(code, message, field, null, null);
  }

  /** Whether the same request may succeed later (rate limits, a dependency down or slow); bad input never does. */
  public boolean retryable() {
    return code.retryable();
  }

  /** Any failure as a {@code Failure}. A failure no kind fits is a bug: it is logged once, with a short reference. */
  public static Failure of(Throwable cause) {
    if (cause instanceof Carrier carrier) {
      return carrier.failure();
    }
    if (cause instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case RECIPIENT_FAILURE -> fromWire(reply.failureCode(), reply.getMessage());
        case TIMEOUT -> new Failure(ErrorCode.TIMEOUT, "a step inside atrium did not answer in time"
            + addressOf(reply.getMessage()), null);
        default -> new Failure(ErrorCode.UNAVAILABLE, "the part of atrium that handles this is not running", null);
      };
    }
    if (cause instanceof DecodeException) {
      return new Failure(ErrorCode.INVALID_REQUEST, "the body is not valid JSON", null);
    }
    if (cause instanceof ClassCastException) {
      return new Failure(ErrorCode.INVALID_REQUEST, "a field of the request has the wrong type", null);
    }
    if (cause instanceof IllegalArgumentException) {
      return new Failure(ErrorCode.INVALID_REQUEST, String.valueOf(cause.getMessage()), null);
    }
    return internal(cause);
  }

  /** " (the address)" of a request that timed out, from Vert.x's text, or nothing. */
  private static String addressOf(String timeoutText) {
    Matcher address = TIMED_OUT_ADDRESS.matcher(String.valueOf(timeoutText));
    return address.find() ? " (" + address.group(1) + ")" : "";
  }

  /** A bug: logged with its stack trace under a short reference the caller sees, so the two can be matched. */
  public static Failure internal(Throwable bug) {
    String reference = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    LOG.error("internal error {}", reference, bug);
    return new Failure(ErrorCode.INTERNAL, "internal error (reference " + reference + ")", null,
        null, new JsonObject().put("reference", reference));
  }

  /** Reads the failure a recipient sent ({@link #toJson()} encoded, or plain text from elsewhere). */
  static Failure fromWire(int status, String message) {
    ErrorCode byStatus = ErrorCode.forStatus(status);
    if (message == null || !message.startsWith("{")) {
      return new Failure(byStatus, message == null ? "request failed with status " + status : message, null);
    }
    JsonObject json;
    try {
      json = new JsonObject(message);
    } catch (DecodeException notJson) {
      return new Failure(byStatus, message, null);
    }
    ErrorCode code = ErrorCode.forWireName(json.getString("code"));
    JsonObject details = new JsonObject();
    json.forEach(entry -> {
      if (!OWN_FIELDS.contains(entry.getKey())) {
        details.put(entry.getKey(), entry.getValue());
      }
    });
    Object retryAfter = json.getValue("retry_after");
    return new Failure(code == null ? byStatus : code, json.getString("message", ""), json.getString("field"),
        retryAfter instanceof Number seconds ? seconds.longValue() : null, details);
  }

  /** The failure body: {code, message, field?, retry_after?, retryable, …details}. */
  public JsonObject toJson() {
    JsonObject json = details.copy().put("code", code.wireName()).put("message", message);
    if (field != null) {
      json.put("field", field);
    }
    if (retryAfterSeconds != null) {
      json.put("retry_after", retryAfterSeconds);
    }
    return json.put("retryable", retryable());
  }

  /** As an exception that fails a Future and is answered on the bus unchanged. */
  public ReplyException toException() {
    return new Raised(this);
  }

  /** Answers {@code message} with this failure. */
  public void replyTo(Message<?> message) {
    message.fail(code.status, toJson().encode());
  }

  /** This failure as a relay passes it on: a step that timed out behind this one is a dependency not answering. */
  Failure relayed() {
    if (code == ErrorCode.TIMEOUT) {
      return new Failure(ErrorCode.UNAVAILABLE, "a dependency did not answer in time", field, retryAfterSeconds, details);
    }
    return this;
  }

  /** An exception that knows its failure (a provider's answer, say): {@link #of} reads it without guessing. */
  public interface Carrier {
    Failure failure();
  }

  /** A failure raised in this JVM: read back without parsing. Stackless: it describes an answer, not a bug. */
  private static final class Raised extends ReplyException implements Carrier {
    private final Failure failure;

    Raised(Failure failure) {
      super(ReplyFailure.RECIPIENT_FAILURE, failure.code.status, failure.toJson().encode(), true);
      this.failure = failure;
    }

    @Override
    public Failure failure() {
      return failure;
    }
  }
}
