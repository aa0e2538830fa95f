package io.atrium.ingest;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.Failure;
import io.atrium.bus.ProgressEvent;
import io.atrium.bus.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the ingest queue with {@code concurrency} pipeline runs: transient failures come back after a doubling
 * backoff, permanent ones (and the last attempt) leave the resource in error, and every stage change is published
 * once, monotonically, on {@link Addresses#EVENTS_PROGRESS}. Confined to the ingest verticle's event loop.
 */
final class IngestRunner {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRunner.class);

  private final Vertx vertx;
  private final IngestSettings settings;
  private final IngestPipeline pipeline;
  private final IngestQueue queue = new IngestQueue();
  private final ProgressTracker tracker = new ProgressTracker();
  /** When each in-flight file's embedding began (System.nanoTime), for its estimate. */
  private final Map<Long, Long> embedStarts = new HashMap<>();
  private final Map<Long, Integer> attempts = new HashMap<>();
  /** Deleted while a run was in flight: the run's chunks are removed again when it ends. */
  private final Set<Long> deletedInFlight = new HashSet<>();
  private boolean accepting = true;
  private Promise<Void> drained;

  IngestRunner(Vertx vertx, IngestSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.pipeline = new IngestPipeline(vertx, settings, this::report);
  }

  boolean accepting() {
    return accepting;
  }

  boolean isInFlight(long id) {
    return queue.isInFlight(id);
  }

  boolean isWaiting(long id) {
    return queue.isWaiting(id);
  }

  Optional<ProgressEvent> progress(long id) {
    return tracker.current(id);
  }

  /** Queues a resource (force: even if its hash says it is indexed) and announces its new run. */
  void enqueue(long id, boolean force) {
    if (force) {
      attempts.remove(id);
    }
    if (accepting && queue.offer(id, force) && !queue.isInFlight(id)) {
      tracker.startRun(id);
      report(id, Stage.TODO, 0);
    }
    pump();
  }

  /** Queues resources found pending at start, without announcing anything. */
  void resume(Iterable<Long> ids) {
    ids.forEach(id -> queue.offer(id, false));
    pump();
  }

  void forget(long id) {
    queue.remove(id);
    attempts.remove(id);
    if (queue.isInFlight(id)) {
      deletedInFlight.add(id);
    }
  }

  /**
   * Takes a queued file off the queue and ends it in error with {@code reason}, recorded as a permanent failure (so
   * the start-up queue leaves it until a retry); false for a file being processed, whose run goes on.
   */
  boolean cancel(long id, String reason) {
    if (queue.isInFlight(id)) {
      return false;
    }
    queue.remove(id);
    attempts.remove(id);
    Bus.request(vertx, Addresses.STORE_RESOURCE_FAIL, new JsonObject().put("id", id).put("error", reason)
            .put("permanent", true), 10_000)
        .onFailure(err -> LOG.error("cannot record the cancel of resource {}: {}", id, err.getMessage()));
    tracker.advance(id, Stage.ERROR, 0, reason).ifPresent(this::publish);
    return true;
  }

  /** Stops taking work; completes when in-flight runs end or the drain timeout passes. */
  Future<JsonObject> drain() {
    accepting = false;
    if (queue.inFlightCount() == 0) {
      return Future.succeededFuture(leftOver());
    }
    drained = Promise.promise();
    long timer = vertx.setTimer(settings.drainTimeoutMs(), t -> drained.tryComplete());
    // what is still running or waiting stays pending in the database and resumes at the next start
    return drained.future().map(v -> {
      vertx.cancelTimer(timer);
      return leftOver();
    });
  }

  private JsonObject leftOver() {
    return new JsonObject().put("in_flight", queue.inFlightCount()).put("waiting", queue.waitingCount());
  }

  void embedProgress(JsonObject body) {
    long id = body.getLong("resource_id");
    int total = body.getInteger("total", 0);
    if (total > 0 && queue.isInFlight(id)) {
      int done = body.getInteger("done", 0);
      long now = System.nanoTime();
      long started = embedStarts.computeIfAbsent(id, k -> now);
      // the file's own rate so far; its chunks share the model fairly with other files', so it holds while they do
      Long eta = done == 0 ? null : Math.round((now - started) / 1e9 * (total - done) / done);
      tracker.advance(id, Stage.EMBEDDING, IngestPipeline.EMBED_START
              + (IngestPipeline.EMBED_END - IngestPipeline.EMBED_START) * done / total, null, done, total, eta)
          .ifPresent(this::publish);
    }
  }

  private void pump() {
    while (accepting && queue.inFlightCount() < settings.concurrency()) {
      var next = queue.take();
      if (next.isEmpty()) {
        return;
      }
      long id = next.get();
      boolean force = queue.consumeForce(id);
      pipeline.run(id, force)
          .onSuccess(outcome -> finished(id, outcome))
          .onFailure(e -> failed(id, force, e))
          .onComplete(ar -> ended(id));
    }
  }

  private void ended(long id) {
    queue.finished(id);
    embedStarts.remove(id);
    if (deletedInFlight.remove(id)) {
      Bus.request(vertx, Addresses.STORE_RESOURCE_DELETE, new JsonObject().put("id", id), 30_000)
          .onFailure(e -> LOG.error("cannot remove chunks of deleted resource {}: {}", id, e.getMessage()));
    }
    if (!accepting && queue.inFlightCount() == 0 && drained != null) {
      drained.tryComplete();
    }
    pump();
  }

  private void finished(long id, IngestPipeline.Outcome outcome) {
    attempts.remove(id);
    switch (outcome) {
      case INDEXED -> {
        LOG.info("resource {} indexed", id);
        report(id, Stage.DONE, 100);
      }
      case UNCHANGED -> report(id, Stage.DONE, 100);
      case GONE -> LOG.info("resource {} disappeared while queued; dropped", id);
    }
  }

  private void failed(long id, boolean force, Throwable e) {
    // a bad or hostile file fails the same way again; a dependency down or slow may not
    Failure failure = Failure.of(e);
    String reason = failure.message();
    int attempt = attempts.merge(id, 1, Integer::sum);
    if (failure.retryable() && attempt < settings.maxAttempts() && accepting) {
      long delay = settings.retryBackoffMs() << (attempt - 1);
      LOG.warn("resource {} failed (attempt {} of {}), retrying in {} ms: {}", id, attempt, settings.maxAttempts(), delay, reason);
      vertx.setTimer(delay, t -> {
        queue.offer(id, force);
        pump();
      });
      return;
    }
    attempts.remove(id);
    LOG.warn("resource {} failed: {}", id, reason);
    // a bad or hostile file (refused, encrypted, a bomb, no text) is not tried again at every start
    Bus.request(vertx, Addresses.STORE_RESOURCE_FAIL, new JsonObject().put("id", id).put("error", reason)
            .put("permanent", !failure.retryable()), 10_000)
        .onFailure(err -> LOG.error("cannot record failure of resource {}: {}", id, err.getMessage()));
    tracker.advance(id, Stage.ERROR, 0, reason).ifPresent(this::publish);
  }

  private void report(long id, Stage stage, int percentage) {
    tracker.advance(id, stage, percentage, null).ifPresent(this::publish);
  }

  private void publish(ProgressEvent event) {
    vertx.eventBus().publish(Addresses.EVENTS_PROGRESS, event.toJson());
  }
}
