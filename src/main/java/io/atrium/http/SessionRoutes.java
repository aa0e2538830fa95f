package io.atrium.http;

import io.atrium.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Coding-agent sessions (seed 001), routed to {@code atrium.sessions.*}: workers and conversations, inputs (which
 * run the worker's CLI and answer when it ends), cancel, messages and their sync. Checks of meaning are the sessions
 * verticle's; this class only turns paths and query strings into request bodies.
 */
final class SessionRoutes {
  private static final long TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final long inputTimeoutMs;

  SessionRoutes(Vertx vertx, long inputTimeoutMs) {
    this.vertx = vertx;
    this.inputTimeoutMs = inputTimeoutMs;
  }

  void mount(Router router, JsonBody json) {
    router.get("/api/v1/workers").handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_LIST,
        query(ctx, "worker_name"), 200));
    router.post("/api/v1/workers").handler(json)
        .handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_CREATE, Requests.jsonBody(ctx), 201));
    // before /{worker_name}: "types" is not a worker
    router.get("/api/v1/workers/types").handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_TYPES, new JsonObject(), 200));
    router.get("/api/v1/workers/:worker_name").handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_GET, worker(ctx), 200));
    router.delete("/api/v1/workers/:worker_name").handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_DELETE, worker(ctx), 200));

    router.get("/api/v1/conversations").handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_LIST,
        integers(ctx, query(ctx, "worker_name"), "limit", "offset"), 200));
    router.post("/api/v1/conversations").handler(json)
        .handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_CREATE, Requests.jsonBody(ctx), 201));
    router.get("/api/v1/conversations/:id").handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_GET, id(ctx), 200));
    router.patch("/api/v1/conversations/:id").handler(json)
        .handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_RENAME, withId(ctx), 200));
    router.delete("/api/v1/conversations/:id").handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_DELETE, id(ctx), 200));
    router.get("/api/v1/conversations/:id/inputs").handler(ctx -> forward(ctx, Addresses.SESSIONS_INPUTS,
        integers(ctx, id(ctx), "limit"), 200));
    router.post("/api/v1/conversations/:id").handler(json).handler(ctx -> HttpVerticle.forward(vertx, ctx,
        Addresses.SESSIONS_INPUT, withId(ctx), 200, inputTimeoutMs));
    router.post("/api/v1/conversations/:id/cancel").handler(ctx -> forward(ctx, Addresses.SESSIONS_CANCEL, id(ctx), 200));
    router.get("/api/v1/conversations/:id/messages").handler(ctx -> forward(ctx, Addresses.SESSIONS_MESSAGES,
        integers(ctx, id(ctx), "limit", "after_id"), 200));
    router.post("/api/v1/conversations/:id/messages/sync").handler(ctx -> forward(ctx, Addresses.SESSIONS_SYNC, id(ctx), 200));
  }

  private static JsonObject worker(RoutingContext ctx) {
    return new JsonObject().put("worker_name", ctx.pathParam("worker_name"));
  }

  private static JsonObject id(RoutingContext ctx) {
    return new JsonObject().put("id", ctx.pathParam("id"));
  }

  private static JsonObject withId(RoutingContext ctx) {
    return Requests.jsonBody(ctx).copy().put("id", ctx.pathParam("id"));
  }

  private static JsonObject query(RoutingContext ctx, String field) {
    JsonObject body = new JsonObject();
    String value = ctx.request().getParam(field);
    if (value != null) {
      body.put(field, value);
    }
    return body;
  }

  /** Integer query parameters into {@code body}; one that is not an integer is a 400 naming it. */
  private static JsonObject integers(RoutingContext ctx, JsonObject body, String... fields) {
    for (String field : fields) {
      String value = ctx.request().getParam(field);
      if (value != null) {
        try {
          body.put(field, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
          throw new HttpErrors.BadRequest(field + " must be an integer, got '" + value + "'", field);
        }
      }
    }
    return body;
  }

  private void forward(RoutingContext ctx, String address, JsonObject body, int status) {
    HttpVerticle.forward(vertx, ctx, address, body, status, TIMEOUT_MS);
  }
}
