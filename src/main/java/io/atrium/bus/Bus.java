package io.atrium.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The one way through the bus: requests with an explicit timeout, and {@link #serve} for answering them. A served
 * request is always answered, at once: with the operation's result, or with its failure read as a {@link Failure}
 * whatever was thrown (bad input a 400 naming the field, a bug a 500 whose reference is in the log), so no caller
 * waits out its timeout for a handler that threw.
 */
public final class Bus {
  private Bus() {
  }

  /** An operation answering on the thread that received the request: the store writer's synchronous writes. */
  @FunctionalInterface
  public interface SyncOperation {
    JsonObject apply(JsonObject body) throws Exception;
  }

  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus()
        .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body);
  }

  /**
   * Serves request/reply on {@code address}: the body (an empty object when there is none) goes to
   * {@code operation}; its result is the reply and anything it fails with or throws is the failure reply.
   */
  public static Future<Void> serve(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> operation) {
    return vertx.eventBus().consumer(address, message -> answer(message, operation)).completion();
  }

  /** {@link #serve} for an operation that does its work before it returns. */
  public static Future<Void> serveSync(Vertx vertx, String address, SyncOperation operation) {
    return serve(vertx, address, body -> {
      try {
        return Future.succeededFuture(operation.apply(body));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** {@code operation} while {@code accepting} says so; after that a 503 saying {@code why}. */
  public static Function<JsonObject, Future<JsonObject>> gated(BooleanSupplier accepting, String why,
      Function<JsonObject, Future<JsonObject>> operation) {
    return body -> accepting.getAsBoolean() ? operation.apply(body)
        : Future.failedFuture(ErrorCode.UNAVAILABLE.exception(why));
  }

  private static void answer(Message<Object> message, Function<JsonObject, Future<JsonObject>> operation) {
    Future<JsonObject> result;
    try {
      result = message.body() == null ? operation.apply(new JsonObject())
          : message.body() instanceof JsonObject body ? operation.apply(body)
          : Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("the request body must be a JSON object"));
    } catch (Throwable e) {
      result = Future.failedFuture(e);
    }
    if (result == null) {
      result = Future.failedFuture(new IllegalStateException("the operation on " + message.address() + " returned no future"));
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else {
        Failure.of(done.cause()).relayed().replyTo(message);
      }
    });
  }
}
