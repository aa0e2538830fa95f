package io.atrium.chat;

import io.atrium.bus.Addresses;
import io.atrium.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat on the event loop: completions (whole or streamed), cancellation, sessions and history. Wiring only; the
 * work is {@link ChatFlow}'s and the provider calls {@link LlmClient}'s.
 */
public final class ChatVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ChatVerticle.class);

  private LlmClient client;
  private ChatFlow flow;

  @Override
  public Future<?> start() {
    ChatSettings settings = ChatSettings.fromJson(config());
    client = new LlmClient(vertx, settings.llm(), settings.maxConnections());
    flow = new ChatFlow(vertx, settings, client);
    return Future.all(
        handle(Addresses.CHAT_COMPLETE, flow::complete),
        handle(Addresses.CHAT_CANCEL, body -> Future.succeededFuture(flow.cancel(body))),
        handle(Addresses.CHAT_SESSION_NEW, flow::newSession),
        handle(Addresses.CHAT_HISTORY, flow::history),
        handle(Addresses.LLM_GENERATE, new Generation(settings, client)::generate));
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : flow.drainLogs().eventually(client::close);
  }

  private Future<Void> handle(String address, Function<JsonObject, Future<JsonObject>> operation) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> run(message, operation)).completion();
  }

  private static void run(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> operation) {
    Future<JsonObject> result;
    try {
      result = operation.apply(message.body() == null ? new JsonObject() : message.body());
    } catch (ReplyException | LlmFailure e) {
      fail(message, e);
      return;
    }
    result.onSuccess(message::reply).onFailure(e -> fail(message, e));
  }

  private static void fail(Message<JsonObject> message, Throwable e) {
    if (e instanceof LlmFailure failure) {
      message.fail(failure.code.status, failure.toJson().encode());
      return;
    }
    if (!(e instanceof ReplyException)) {
      LOG.error("chat request on {} failed", message.address(), e);
    }
    ErrorCode.replyFailure(message, e);
  }
}
