package io.atrium.http;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Chat over HTTP. A whole answer is one {@link Addresses#CHAT_COMPLETE} request. A streamed one ({@code "stream":
 * true}) is the same request naming this verticle's stream address as {@code stream_to}: the chat verticle replies
 * once the provider started answering (or fails, and the client gets a plain JSON error), then sends the deltas and
 * a last done/error message there, which become server-sent events. A client that goes away cancels its stream.
 */
final class ChatRoutes {
  private static final long IDLE_CHECK_MS = 5_000;
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final Vertx vertx;
  private final long timeoutMs;
  private final String streamAddress;
  private final Map<String, SseStream> streams = new HashMap<>();

  ChatRoutes(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    // one address per instance (instances of one deployment share its id)
    this.streamAddress = Addresses.HTTP_CHAT_STREAM_PREFIX + UUID.randomUUID();
  }

  Future<Void> start() {
    vertx.setPeriodic(IDLE_CHECK_MS, id -> endIdleStreams());
    return vertx.eventBus().<JsonObject>consumer(streamAddress, this::onStreamMessage).completion();
  }

  void mount(Router router, JsonBody json) {
    router.post("/chat/completions").handler(json).handler(this::complete);
    router.post("/api/v1/chat/ask").handler(json).handler(this::complete);
    router.post("/chat/session/new").handler(json).handler(ctx -> HttpVerticle.forward(vertx, ctx,
        Addresses.CHAT_SESSION_NEW, Requests.jsonBody(ctx), 201, timeoutMs));
    router.get("/chat/sessions").handler(ctx -> HttpVerticle.forward(vertx, ctx, Addresses.CHAT_SESSION_LIST,
        Requests.integers(ctx, Requests.query(ctx, "cursor"), "limit", "task_id", "resource_id"), 200, timeoutMs));
    router.get("/chat/history/:session_id").handler(ctx -> HttpVerticle.forward(vertx, ctx, Addresses.CHAT_HISTORY,
        new JsonObject().put("session_id", Requests.pathId(ctx, "session_id")), 200, timeoutMs));
  }

  private void complete(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    body.remove("stream_to");
    Object stream = body.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw new HttpErrors.BadRequest("stream must be true or false", "stream");
    }
    Object requestId = body.getValue("request_id");
    if (requestId != null && (!(requestId instanceof String id) || !REQUEST_ID.matcher(id).matches())) {
      throw new HttpErrors.BadRequest("request_id must be 1 to 64 letters, digits or dashes", "request_id");
    }
    if (!Boolean.TRUE.equals(stream)) {
      HttpVerticle.forward(vertx, ctx, Addresses.CHAT_COMPLETE, body, 200, timeoutMs);
      return;
    }
    String id = requestId != null ? (String) requestId : UUID.randomUUID().toString();
    if (streams.containsKey(id)) {
      throw new HttpErrors.BadRequest("request_id " + id + " is already streaming", "request_id");
    }
    SseStream sse = new SseStream(ctx.response());
    streams.put(id, sse);
    ctx.response().closeHandler(v -> {
      if (streams.remove(id) != null) {
        vertx.eventBus().send(Addresses.CHAT_CANCEL, new JsonObject().put("request_id", id));
      }
    });
    Bus.request(vertx, Addresses.CHAT_COMPLETE, body.put("request_id", id).put("stream_to", streamAddress), timeoutMs)
        .onSuccess(accepted -> sse.open())  // also when the done message came first: it waits in pending
        .onFailure(e -> {
          streams.remove(id);
          ctx.fail(e);
        });
  }

  private void onStreamMessage(Message<JsonObject> message) {
    JsonObject body = message.body();
    String id = body.getString("request_id");
    SseStream sse = streams.get(id);
    if (sse == null) {
      return; // the client went away
    }
    String type = (String) body.remove("type");
    sse.event(type, body);
    if (!"delta".equals(type)) {
      streams.remove(id);
      sse.end();
    }
  }

  /** A stream the chat verticle stopped feeding (it went away) ends with an error instead of hanging. */
  private void endIdleStreams() {
    long limit = System.nanoTime() - (timeoutMs + IDLE_CHECK_MS) * 1_000_000;
    List<String> idle = new ArrayList<>();
    streams.forEach((id, sse) -> {
      if (sse.opened() && sse.lastActivity() < limit) {
        idle.add(id);
      }
    });
    for (String id : idle) {
      SseStream sse = streams.remove(id);
      sse.event("error", new JsonObject().put("request_id", id).put("error", new JsonObject()
          .put("code", "timeout").put("message", "the answer stopped arriving inside atrium")));
      sse.end();
    }
  }
}
