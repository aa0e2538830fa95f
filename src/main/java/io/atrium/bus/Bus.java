package io.atrium.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** Event-bus requests with an explicit timeout, answering the JSON body. */
public final class Bus {
  private Bus() {
  }

  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus()
        .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body);
  }

  /**
   * Serves request/reply on {@code address}: the body (an empty object when there is none) goes to
   * {@code operation}; its result is the reply, its failure (or a {@link io.vertx.core.eventbus.ReplyException} it
   * throws while validating) the failure reply with the same code.
   */
  public static Future<Void> serve(Vertx vertx, String address,
      java.util.function.Function<JsonObject, Future<JsonObject>> operation) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> {
      try {
        operation.apply(message.body() == null ? new JsonObject() : message.body())
            .onSuccess(message::reply)
            .onFailure(e -> ErrorCode.replyFailure(message, e));
      } catch (io.vertx.core.eventbus.ReplyException e) {
        ErrorCode.replyFailure(message, e);
      }
    }).completion();
  }
}
