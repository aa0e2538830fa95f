package io.atrium.lifecycle;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sidecar duties of seed 000. With {@code sidecar.parent: stdin} atrium exits when its standard input closes (the
 * parent died); with {@code heartbeat} it exits when heartbeats stop for {@code heartbeat_timeout_s}.
 * {@link Addresses#LIFECYCLE_SHUTDOWN} drains ingest (in-flight files finish or stay pending in the database),
 * then closes Vert.x and exits 0.
 */
public final class LifecycleVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleVerticle.class);

  private final Runnable exit;
  private volatile long lastHeartbeat = System.nanoTime();
  private boolean shuttingDown;

  /** {@code exit} ends the process (tests pass a recorder). */
  public LifecycleVerticle(Runnable exit) {
    this.exit = exit;
  }

  @Override
  public Future<?> start() {
    LifecycleSettings settings = LifecycleSettings.fromJson(config());
    long timeoutNanos = settings.heartbeatTimeoutS() * 1_000_000_000L;
    switch (settings.parent()) {
      case "stdin" -> watchStdin();
      case "heartbeat" -> vertx.setPeriodic(1000, t -> {
        if (System.nanoTime() - lastHeartbeat > timeoutNanos) {
          shutdown("no heartbeat for " + timeoutNanos / 1_000_000_000L + " s");
        }
      });
      case "none" -> { }
      default -> {
        return Future.failedFuture("sidecar.parent must be none, stdin or heartbeat, not '" + settings.parent() + "'");
      }
    }
    return Future.all(
        Bus.serve(vertx, Addresses.LIFECYCLE_HEARTBEAT, this::heartbeat),
        Bus.serve(vertx, Addresses.LIFECYCLE_SHUTDOWN, this::shutdownRequest));
  }

  private Future<JsonObject> heartbeat(JsonObject body) {
    lastHeartbeat = System.nanoTime();
    return Future.succeededFuture(new JsonObject().put("status", "ok"));
  }

  private Future<JsonObject> shutdownRequest(JsonObject body) {
    // the answer goes out before the drain starts closing things
    vertx.runOnContext(v -> shutdown("shutdown requested"));
    return Future.succeededFuture(new JsonObject().put("status", "shutting_down"));
  }

  private void watchStdin() {
    Thread.ofPlatform().daemon().name("atrium-stdin-watch").start(() -> {
      InputStream in = System.in;
      byte[] buffer = new byte[256];
      try {
        while (in.read(buffer) >= 0) {
          // the parent may write anything; only the end of the stream matters
        }
      } catch (IOException e) {
        LOG.debug("stdin: {}", e.getMessage());
      }
      vertx.runOnContext(v -> shutdown("standard input closed (parent gone)"));
    });
  }

  private void shutdown(String reason) {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    LOG.info("shutting down: {}", reason);
    Bus.request(vertx, Addresses.INGEST_DRAIN, new JsonObject(), 120_000)
        .onSuccess(state -> LOG.info("ingest drained: {}", state.encode()))
        .onFailure(e -> LOG.warn("ingest drain: {}", e.getMessage()))
        .onComplete(ar -> closeThenExit());
  }

  /**
   * Closes Vert.x from a thread of its own: a close begun on this verticle's event loop would hand its completion
   * back to that loop, which the close has just stopped (a RejectedExecutionException, and no exit after it).
   */
  private void closeThenExit() {
    Thread.ofPlatform().name("atrium-exit").start(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("closing Vert.x: {}", e.toString());
      }
      exit.run();
    });
  }
}
