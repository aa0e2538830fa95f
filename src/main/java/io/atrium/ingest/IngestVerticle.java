package io.atrium.ingest;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the ingest queue: notifications, uploads and manual retries enter it, {@code concurrency} runs drain it,
 * transient failures come back after a backoff, and progress is published on {@link Addresses#EVENTS_PROGRESS}.
 * At start the queue is rebuilt from the database (seed 000's rule), so a crash loses nothing.
 */
public final class IngestVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);

  private final IngestQueue queue = new IngestQueue();
  private final ProgressTracker tracker = new ProgressTracker();
  private final Map<Long, Integer> attempts = new HashMap<>();
  /** Deleted while a run was in flight: the run's chunks are removed again when it ends. */
  private final java.util.Set<Long> deletedInFlight = new java.util.HashSet<>();
  private IngestSettings settings;
  private IngestPipeline pipeline;
  private Uploads uploads;
  private boolean accepting = true;
  private Promise<Void> drained;

  @Override
  public Future<?> start() {
    settings = IngestSettings.fromJson(config());
    pipeline = new IngestPipeline(vertx, settings, this::report);
    uploads = new Uploads(vertx, settings.filesDir());
    return Future.all(java.util.List.of(
            handle(Addresses.INGEST_NOTIFY, this::notify),
            handle(Addresses.INGEST_REGISTER_UPLOADS, this::registerUploads),
            handle(Addresses.INGEST_STATUS, this::status),
            handle(Addresses.INGEST_RETRY, this::retry),
            handle(Addresses.INGEST_DELETE, body -> delete(body.getLong("id"))),
            handle(Addresses.INGEST_DRAIN, body -> drain()),
            vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_EMBED_PROGRESS, msg -> embedProgress(msg.body())).completion()))
        .compose(v -> Bus.request(vertx, Addresses.EMBED_INFO, new JsonObject(), 30_000))
        .compose(info -> Bus.request(vertx, Addresses.STORE_MODEL_CHECK, new JsonObject().put("model", info.getString("model")), 60_000))
        .onSuccess(check -> {
          if (check.getInteger("reindex", 0) > 0) {
            LOG.info("embedding model changed: {} resources will be embedded again", check.getInteger("reindex"));
          }
        })
        .compose(v -> Bus.request(vertx, Addresses.STORE_RESOURCE_PENDING, new JsonObject(), 30_000))
        .onSuccess(pending -> {
          JsonArray ids = pending.getJsonArray("ids");
          ids.forEach(id -> queue.offer(((Number) id).longValue(), false));
          LOG.info("ingest queue rebuilt from the database: {} resources to index", ids.size());
          pump();
        });
  }

  private Future<JsonObject> notify(JsonObject body) {
    long id = body.getLong("id");
    if ("task".equals(body.getString("source_type"))) {
      // Task rows carry no file; their AI suggestions come from the agent endpoints.
      return Future.succeededFuture(new JsonObject().put("accepted", true).put("queued", false)
          .put("reason", "tasks have no file to index"));
    }
    if ("deleted".equals(body.getString("action"))) {
      return delete(id).map(deleted -> new JsonObject().put("accepted", true).put("queued", false)
          .put("removed", deleted.getBoolean("existed", false)));
    }
    return Bus.request(vertx, Addresses.STORE_RESOURCE_GET, new JsonObject().put("id", id), 10_000).map(row -> {
      if (!IngestPipeline.needsWork(row, false) && !queue.isInFlight(id)) {
        return new JsonObject().put("accepted", true).put("queued", false).put("reason", "unchanged");
      }
      enqueue(id, false);
      return new JsonObject().put("accepted", true).put("queued", true);
    });
  }

  private Future<JsonObject> registerUploads(JsonObject body) {
    return uploads.register(body).map(created -> {
      created.getJsonArray("resources").forEach(r -> enqueue(((JsonObject) r).getLong("resource_id"), false));
      return created;
    });
  }

  private Future<JsonObject> status(JsonObject body) {
    long id = body.getLong("id");
    return Bus.request(vertx, Addresses.STORE_RESOURCE_GET, new JsonObject().put("id", id), 10_000)
        .map(row -> IngestStatus.of(row, queue.isWaiting(id), tracker.current(id).orElse(null)));
  }

  private Future<JsonObject> retry(JsonObject body) {
    long id = body.getLong("id");
    return Bus.request(vertx, Addresses.STORE_RESOURCE_GET, new JsonObject().put("id", id), 10_000).compose(row -> {
      if (!Stage.ERROR.word().equals(row.getString("processing_stage")) && !"error".equals(row.getString("sync_status"))) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception(
            "resource " + id + " is not in error (status " + row.getString("processing_stage") + ")", "id"));
      }
      attempts.remove(id);
      enqueue(id, true);
      return Future.succeededFuture(new JsonObject().put("resource_id", id).put("queued", true));
    });
  }

  private Future<JsonObject> delete(long id) {
    queue.remove(id);
    attempts.remove(id);
    if (queue.isInFlight(id)) {
      deletedInFlight.add(id);
    }
    return Bus.request(vertx, Addresses.STORE_RESOURCE_DELETE, new JsonObject().put("id", id), 30_000)
        .compose(deleted -> uploads.removeStoredFile(deleted).map(deleted));
  }

  private Future<JsonObject> drain() {
    accepting = false;
    if (queue.inFlightCount() == 0) {
      return Future.succeededFuture(new JsonObject().put("in_flight", 0).put("waiting", queue.waitingCount()));
    }
    drained = Promise.promise();
    long timer = vertx.setTimer(settings.drainTimeoutMs(), t -> drained.tryComplete());
    return drained.future().map(v -> {
      vertx.cancelTimer(timer);
      // What is still running or waiting stays pending in the database and resumes at the next start.
      return new JsonObject().put("in_flight", queue.inFlightCount()).put("waiting", queue.waitingCount());
    });
  }

  private void enqueue(long id, boolean force) {
    if (accepting && queue.offer(id, force) && !queue.isInFlight(id)) {
      tracker.startRun(id);
      report(id, Stage.TODO, 0);
    }
    pump();
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
          .onComplete(ar -> {
            queue.finished(id);
            if (deletedInFlight.remove(id)) {
              Bus.request(vertx, Addresses.STORE_RESOURCE_DELETE, new JsonObject().put("id", id), 30_000)
                  .onFailure(e -> LOG.error("cannot remove chunks of deleted resource {}: {}", id, e.getMessage()));
            }
            if (!accepting && queue.inFlightCount() == 0 && drained != null) {
              drained.tryComplete();
            }
            pump();
          });
    }
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
    String reason = IngestPipeline.describe(e);
    int attempt = attempts.merge(id, 1, Integer::sum);
    if (!IngestPipeline.isPermanent(e) && attempt < settings.maxAttempts() && accepting) {
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
    Bus.request(vertx, Addresses.STORE_RESOURCE_FAIL, new JsonObject().put("id", id).put("error", reason), 10_000)
        .onFailure(err -> LOG.error("cannot record failure of resource {}: {}", id, err.getMessage()));
    tracker.advance(id, Stage.ERROR, 0, reason).ifPresent(this::publish);
  }

  private void embedProgress(JsonObject body) {
    long id = body.getLong("resource_id");
    int total = body.getInteger("total", 0);
    if (total > 0 && queue.isInFlight(id)) {
      int done = body.getInteger("done", 0);
      report(id, Stage.EMBEDDING, IngestPipeline.EMBED_START
          + (IngestPipeline.EMBED_END - IngestPipeline.EMBED_START) * done / total);
    }
  }

  private void report(long id, Stage stage, int percentage) {
    tracker.advance(id, stage, percentage, null).ifPresent(this::publish);
  }

  private void publish(io.atrium.bus.ProgressEvent event) {
    vertx.eventBus().publish(Addresses.EVENTS_PROGRESS, event.toJson());
  }

  private Future<Void> handle(String address, Function<JsonObject, Future<JsonObject>> operation) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> run(message, operation)).completion();
  }

  private void run(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> operation) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    if (!accepting && !Addresses.INGEST_STATUS.equals(message.address()) && !Addresses.INGEST_DRAIN.equals(message.address())) {
      ErrorCode.UNAVAILABLE.fail(message, "atrium is shutting down");
      return;
    }
    try {
      operation.apply(body).onSuccess(message::reply).onFailure(e -> ErrorCode.replyFailure(message, e));
    } catch (ClassCastException | NullPointerException e) {
      ErrorCode.INVALID_REQUEST.fail(message, "malformed request: " + e.getMessage());
    }
  }
}
