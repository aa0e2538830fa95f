package io.atrium.agent;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.Fields;
import io.atrium.bus.Pages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * AI suggestions (seed 000's /agent/decompose and /agent/tag) and the LLM-judge reranker, on the event loop. Models
 * are reached only through {@link Addresses#LLM_GENERATE}; rows through the store. Wiring only.
 */
public final class AgentVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    AgentSettings settings = AgentSettings.fromJson(config());
    StructuredAsk ask = new StructuredAsk(vertx, settings);
    AgentFlow flow = new AgentFlow(vertx, settings, ask);
    Reranker reranker = new Reranker(settings, ask);
    return Future.all(
        handle(Addresses.AGENT_DECOMPOSE, flow::decompose),
        handle(Addresses.AGENT_TAG, flow::tag),
        handle(Addresses.AGENT_SUGGESTION_GET, flow::suggestion),
        handle(Addresses.AGENT_SUGGESTION_LIST, body -> Bus.request(vertx, Addresses.STORE_SUGGESTION_LIST, Pages.of(body)
            .put("kind", Fields.optionalString(body, "kind", 20)).put("status", Fields.optionalString(body, "status", 20))
            .put("task_id", Fields.optionalPositiveLong(body, "task_id"))
            .put("resource_id", Fields.optionalPositiveLong(body, "resource_id")), 10_000)),
        handle(Addresses.AGENT_RERANK, reranker::rerank));
  }

  private Future<Void> handle(String address, Function<JsonObject, Future<JsonObject>> operation) {
    return Bus.serve(vertx, address, operation);
  }
}
