package io.atrium.http;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Coding-agent sessions (seed 001), routed to {@code atrium.sessions.*}: workers and conversations, inputs (which
 * run the worker's CLI and answer when it ends), cancel, messages and their sync. Checks of meaning are the sessions
 * verticle's; this class only turns paths and query strings into request bodies. An input with {@code "stream": true}
 * is answered as server-sent events: {@code accepted} once the CLI has started (or the input is queued), then each
 * of the run's {@code atrium.events.session} events by its kind, the last a {@code status} of done, error or
 * cancelled. A client that goes away stops following; the run goes on (it is the user's job, followed on
 * /ws/notifications and in GET …/inputs).
 */
final class SessionRoutes {
  private static final long TIMEOUT_MS = 30_000;

  private static final Set<String> FINAL = Set.of("done", "error", "cancelled");

  private final Vertx vertx;
  private final long inputTimeoutMs;
  /** Streamed inputs being followed, by the request_id their events carry. */
  private final Map<String, SseStream> streams = new HashMap<>();

  SessionRoutes(Vertx vertx, long inputTimeoutMs) {
    this.vertx = vertx;
    this.inputTimeoutMs = inputTimeoutMs;
  }

  /** One consumer of the run events for every streamed input of this HTTP instance. */
  Future<Void> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_SESSION, message -> {
      JsonObject event = message.body();
      SseStream sse = streams.get(event.getString("request_id"));
      if (sse == null) {
        return;
      }
      sse.event(event.getString("kind"), event);
      if ("status".equals(event.getString("kind")) && FINAL.contains(event.getString("status"))) {
        streams.remove(event.getString("request_id"));
        sse.end();
      }
    }).completion();
  }

  void mount(Router router, JsonBody json) {
    router.get("/api/v1/workers").handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_LIST,
        Requests.query(ctx, "worker_name"), 200));
    router.post("/api/v1/workers").handler(json)
        .handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_CREATE, Requests.jsonBody(ctx), 201));
    // before /{worker_name}: "types" is not a worker
    router.get("/api/v1/workers/types").handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_TYPES, new JsonObject(), 200));
    router.get("/api/v1/workers/:worker_name").handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_GET, worker(ctx), 200));
    router.delete("/api/v1/workers/:worker_name").handler(ctx -> forward(ctx, Addresses.SESSIONS_WORKER_DELETE, worker(ctx), 200));

    router.get("/api/v1/conversations").handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_LIST,
        Requests.integers(ctx, Requests.query(ctx, "worker_name"), "limit", "offset"), 200));
    router.post("/api/v1/conversations").handler(json)
        .handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_CREATE, Requests.jsonBody(ctx), 201));
    router.get("/api/v1/conversations/:id").handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_GET, id(ctx), 200));
    router.patch("/api/v1/conversations/:id").handler(json)
        .handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_RENAME, withId(ctx), 200));
    router.delete("/api/v1/conversations/:id").handler(ctx -> forward(ctx, Addresses.SESSIONS_CONVERSATION_DELETE, id(ctx), 200));
    router.get("/api/v1/conversations/:id/inputs").handler(ctx -> forward(ctx, Addresses.SESSIONS_INPUTS,
        Requests.integers(ctx, id(ctx), "limit"), 200));
    router.post("/api/v1/conversations/:id").handler(json).handler(this::input);
    router.post("/api/v1/conversations/:id/cancel").handler(ctx -> forward(ctx, Addresses.SESSIONS_CANCEL, id(ctx), 200));
    router.get("/api/v1/conversations/:id/messages").handler(ctx -> forward(ctx, Addresses.SESSIONS_MESSAGES,
        Requests.integers(ctx, id(ctx), "limit", "after_id"), 200));
    router.post("/api/v1/conversations/:id/messages/sync").handler(ctx -> forward(ctx, Addresses.SESSIONS_SYNC, id(ctx), 200));
  }

  private void input(RoutingContext ctx) {
    JsonObject body = withId(ctx);
    if (!Boolean.TRUE.equals(body.getValue("stream"))) {
      HttpVerticle.forward(vertx, ctx, Addresses.SESSIONS_INPUT, body, 200, inputTimeoutMs);
      return;
    }
    String requestId = UUID.randomUUID().toString();
    SseStream sse = new SseStream(ctx.response());
    // registered before the request, so no event of the run can pass by unseen
    streams.put(requestId, sse);
    ctx.response().closeHandler(v -> streams.remove(requestId));
    Bus.request(vertx, Addresses.SESSIONS_INPUT, body.put("request_id", requestId), TIMEOUT_MS)
        .onSuccess(accepted -> {
          sse.openWith("accepted", accepted.put("request_id", requestId));
        })
        .onFailure(e -> {
          streams.remove(requestId);
          ctx.fail(e);
        });
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

  private void forward(RoutingContext ctx, String address, JsonObject body, int status) {
    HttpVerticle.forward(vertx, ctx, address, body, status, TIMEOUT_MS);
  }
}
