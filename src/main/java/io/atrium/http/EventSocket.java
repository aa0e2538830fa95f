package io.atrium.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A WebSocket that forwards every event of one browser-facing address as a JSON text frame, or only the events
 * whose fields equal the query parameters a client gave: {@code GET /ws/notifications?resource_id=} (seed 000's
 * notifications), {@code GET /ws/chat?session_id=|request_id=} (chat deltas). A socket may be quiet for hours, so
 * it is pinged every half idle timeout (which keeps proxies from cutting it too), and closed once it has answered no
 * ping for the idle timeout: a peer that vanished without closing holds no descriptor for long.
 */
final class EventSocket {
  /** A query parameter that filters on the frame field of the same name; ids must be integers. */
  record Filter(String field, boolean integer) {
  }

  private final Vertx vertx;
  private final String address;
  private final List<Filter> filters;
  /** Chat deltas are one person's conversation: a socket must name the one it follows, never read everyone's. */
  private final boolean filterRequired;
  private final long idleMs;
  private final Map<ServerWebSocket, Follower> sockets = new ConcurrentHashMap<>();

  /** One open socket: the fields it follows, and when it last answered a ping. */
  private static final class Follower {
    final Map<String, String> wanted;
    volatile long heardAt = System.nanoTime();

    Follower(Map<String, String> wanted) {
      this.wanted = wanted;
    }
  }

  EventSocket(Vertx vertx, String address, List<Filter> filters, boolean filterRequired, long idleMs) {
    this.vertx = vertx;
    this.address = address;
    this.filters = filters;
    this.filterRequired = filterRequired;
    this.idleMs = idleMs;
  }

  Future<Void> start() {
    vertx.setPeriodic(Math.max(1, idleMs / 2), id -> pingOrClose());
    return vertx.eventBus().<JsonObject>consumer(address, message -> broadcast(message.body())).completion();
  }

  void upgrade(RoutingContext ctx) {
    if (!isHandshake(ctx.request())) {
      // a browser or curl opening the URL: the client's mistake, answered like any other, never a logged failure
      throw new HttpErrors.BadRequest("this endpoint is a WebSocket: connect with Upgrade: websocket", null);
    }
    Map<String, String> wanted = new HashMap<>();
    for (Filter filter : filters) {
      String value = ctx.request().getParam(filter.field());
      if (value == null) {
        continue;
      }
      if (filter.integer()) {
        try {
          value = String.valueOf(Long.parseLong(value));
        } catch (NumberFormatException e) {
          throw new HttpErrors.BadRequest(filter.field() + " must be an integer", filter.field());
        }
      }
      wanted.put(filter.field(), value);
    }
    if (filterRequired && wanted.isEmpty()) {
      throw new HttpErrors.BadRequest("name the conversation to follow: " + filters.stream().map(Filter::field)
          .collect(Collectors.joining(" or ")) + " (a socket never receives every client's answers)",
          filters.get(0).field());
    }
    ctx.request().toWebSocket().onSuccess(socket -> {
      Follower follower = new Follower(wanted);
      sockets.put(socket, follower);
      socket.pongHandler(pong -> follower.heardAt = System.nanoTime());
      socket.closeHandler(v -> sockets.remove(socket));
      socket.exceptionHandler(e -> sockets.remove(socket));
    }).onFailure(e -> {
      // a handshake Vert.x refused (no key, an unknown version): it has answered 400 itself
      if (!ctx.response().headWritten()) {
        ctx.fail(new HttpErrors.BadRequest("the WebSocket handshake failed: " + e.getMessage(), null));
      }
    });
  }

  /** Whether the request asks for a WebSocket: {@code Upgrade: websocket} and {@code Connection: upgrade}. */
  static boolean isHandshake(HttpServerRequest request) {
    String upgrade = request.getHeader(HttpHeaders.UPGRADE);
    String connection = request.getHeader(HttpHeaders.CONNECTION);
    return upgrade != null && upgrade.strip().equalsIgnoreCase("websocket") && connection != null
        && Arrays.stream(connection.split(",")).anyMatch(token -> token.strip().equalsIgnoreCase("upgrade"));
  }

  private void broadcast(JsonObject event) {
    if (sockets.isEmpty()) {
      return; // most chat deltas have no WebSocket follower: do not encode them for nobody
    }
    String frame = event.encode();
    sockets.forEach((socket, follower) -> {
      if (follower.wanted.entrySet().stream().allMatch(w -> w.getValue().equals(String.valueOf(event.getValue(w.getKey()))))) {
        socket.writeTextMessage(frame);
      }
    });
  }

  private void pingOrClose() {
    long silentSince = System.nanoTime() - idleMs * 1_000_000;
    sockets.forEach((socket, follower) -> {
      if (follower.heardAt - silentSince < 0) {
        sockets.remove(socket);
        socket.close();
      } else {
        socket.writePing(Buffer.buffer());
      }
    });
  }
}
