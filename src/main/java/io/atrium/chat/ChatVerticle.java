package io.atrium.chat;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.Fields;
import io.atrium.bus.Pages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Chat on the event loop: completions (whole or streamed), cancellation, sessions and history. Wiring only; the
 * work is {@link ChatFlow}'s and the provider calls {@link LlmClient}'s.
 */
public final class ChatVerticle extends VerticleBase {
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
        handle(Addresses.CHAT_SESSION_LIST, body -> Bus.request(vertx, Addresses.STORE_CHAT_SESSION_LIST, Pages.of(body)
            .put("task_id", Fields.optionalPositiveLong(body, "task_id"))
            .put("resource_id", Fields.optionalPositiveLong(body, "resource_id")), 10_000)),
        handle(Addresses.LLM_GENERATE, new Generation(settings, client)::generate));
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : flow.drainLogs().eventually(client::close);
  }

  private Future<Void> handle(String address, Function<JsonObject, Future<JsonObject>> operation) {
    return Bus.serve(vertx, address, operation);
  }
}
