package io.atrium.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the connections of clients that are too slow or silent, so that thousands of them cannot hold every file
 * descriptor. Only the client's side is timed: Vert.x's own idle timeout is not used, because it counts silence both
 * ways and would also cut a client waiting minutes for a non-streamed chat answer.
 * <ul>
 *   <li>a new connection has {@code header_timeout_s} to deliver a whole request head; Vert.x hands a request over
 *       only once its head is complete, so a head sent a byte at a time meets the same deadline as one never sent;
 *   <li>a kept-alive connection with nothing in progress has {@code idle_timeout_s} to start its next request;
 *   <li>a request body must bring {@code body_min_rate_bytes_s × body_timeout_s} bytes in every {@code body_timeout_s}:
 *       a rate, not a total, so a big upload on a slow link goes through and a stalled or trickling body does not;
 *   <li>nothing is timed while atrium works on an answer or streams one, nor on a WebSocket ({@link EventSocket}
 *       pings its own).
 * </ul>
 * One sweep, at a quarter of the shortest limit, checks every connection of this server.
 */
final class ConnectionDeadlines {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionDeadlines.class);

  private final Vertx vertx;
  private final HttpSettings.ClientTimeouts limits;
  private final Map<HttpConnection, Watch> watched = new HashMap<>();

  ConnectionDeadlines(Vertx vertx, HttpSettings.ClientTimeouts limits) {
    this.vertx = vertx;
    this.limits = limits;
  }

  /** Starts the sweep (a verticle's timer: it stops when the verticle is undeployed). */
  void start() {
    long shortest = Math.min(limits.headerMs(), Math.min(limits.idleMs(), limits.bodyWindowMs()));
    vertx.setPeriodic(Math.clamp(shortest / 4, 100, 1000), id -> sweep());
  }

  void opened(HttpConnection connection) {
    watched.put(connection, new Watch(now()));
    connection.closeHandler(v -> watched.remove(connection));
  }

  /** The server's request handler: notes each request (its head is complete) before {@code next} routes it. */
  Handler<HttpServerRequest> watching(Handler<HttpServerRequest> next) {
    return request -> {
      Watch watch = watched.get(request.connection());
      if (watch != null) {
        watch.exchanges.add(new Exchange(request, now()));
      }
      next.handle(request);
    };
  }

  private void sweep() {
    long now = now();
    List<HttpConnection> late = new ArrayList<>();
    watched.forEach((connection, watch) -> {
      String reason = watch.overdue(now);
      if (reason != null) {
        LOG.debug("closing the connection of {}: {}", connection.remoteAddress(), reason);
        late.add(connection);
      }
    });
    late.forEach(connection -> {
      watched.remove(connection);
      connection.close();
    });
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }

  /** One connection: its requests in progress, and since when it has had none. */
  private final class Watch {
    final List<Exchange> exchanges = new ArrayList<>();
    long quietSince;
    boolean served;

    Watch(long openedAt) {
      this.quietSince = openedAt;
    }

    /** Why the connection must close now, or null. */
    String overdue(long now) {
      if (exchanges.removeIf(Exchange::answered)) {
        served = true;
        quietSince = now;
      }
      if (exchanges.isEmpty()) {
        long limit = served ? limits.idleMs() : limits.headerMs();
        if (now - quietSince < limit) {
          return null;
        }
        return served ? "no next request within " + limit + " ms" : "no whole request head within " + limit + " ms";
      }
      for (Exchange exchange : exchanges) {
        String slow = exchange.slowBody(now);
        if (slow != null) {
          return slow;
        }
      }
      return null;
    }
  }

  /** One request in progress, and the body bytes it had read at the start of the current window. */
  private final class Exchange {
    final HttpServerRequest request;
    final boolean webSocket;
    long windowStart;
    long windowBytes;

    Exchange(HttpServerRequest request, long arrivedAt) {
      this.request = request;
      this.webSocket = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
      this.windowStart = arrivedAt;
    }

    /** Its answer is over; an accepted WebSocket never is (its connection is the socket's from then on). */
    boolean answered() {
      if (webSocket && request.response().getStatusCode() == 101) {
        return false;
      }
      return request.response().ended() || request.response().closed();
    }

    String slowBody(long now) {
      if (request.isEnded() || now - windowStart < limits.bodyWindowMs()) {
        return null;
      }
      long brought = request.bytesRead() - windowBytes;
      if (brought < limits.bodyMinBytesPerWindow()) {
        return "the request body brought " + brought + " bytes in " + (now - windowStart) + " ms";
      }
      windowStart = now;
      windowBytes = request.bytesRead();
      return null;
    }
  }
}
