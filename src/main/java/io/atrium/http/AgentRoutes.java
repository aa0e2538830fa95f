package io.atrium.http;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The agent endpoints of seed 000 and the reranker. A suggestion asked for with {@code "async": true} answers 202
 * with its id and status {@code todo}; otherwise the finished suggestion comes back with 200.
 */
final class AgentRoutes {
  private final Vertx vertx;
  private final long timeoutMs;

  AgentRoutes(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void mount(Router router, JsonBody json) {
    router.post("/agent/decompose").handler(json).handler(ctx -> suggest(ctx, Addresses.AGENT_DECOMPOSE));
    router.post("/agent/tag").handler(json).handler(ctx -> suggest(ctx, Addresses.AGENT_TAG));
    router.get("/agent/suggestions").handler(ctx -> HttpVerticle.forward(vertx, ctx, Addresses.AGENT_SUGGESTION_LIST,
        Requests.integers(ctx, Requests.query(ctx, "cursor").mergeIn(Requests.query(ctx, "kind"))
            .mergeIn(Requests.query(ctx, "status")), "limit", "task_id", "resource_id"), 200, timeoutMs));
    router.get("/agent/suggestions/:id").handler(ctx -> HttpVerticle.forward(vertx, ctx, Addresses.AGENT_SUGGESTION_GET,
        new JsonObject().put("id", Requests.pathId(ctx, "id")), 200, timeoutMs));
    router.post("/search/rerank").handler(json).handler(ctx -> HttpVerticle.forward(vertx, ctx, Addresses.AGENT_RERANK,
        Requests.jsonBody(ctx), 200, timeoutMs));
  }

  private void suggest(RoutingContext ctx, String address) {
    Bus.request(vertx, address, Requests.jsonBody(ctx), timeoutMs)
        .onSuccess(reply -> HttpVerticle.ok(ctx, "todo".equals(reply.getString("status")) ? 202 : 200, reply))
        .onFailure(ctx::fail);
  }
}
