package io.atrium.ingest;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.bus.Keys;
import io.atrium.bus.ProgressEvent;
import io.atrium.bus.ResourceRow;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest requests: notifications, uploads, status, manual retries and deletes feed an {@link IngestRunner}.
 * At start the queue is rebuilt from the database (seed 000's rule), after resources embedded with another model
 * were marked for re-indexing, so a crash or a model change loses nothing.
 */
public final class IngestVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);

  private IngestRunner runner;
  private Uploads uploads;
  private Path dataDir;

  @Override
  public Future<?> start() {
    IngestSettings settings = IngestSettings.fromJson(config());
    runner = new IngestRunner(vertx, settings);
    uploads = new Uploads(vertx, settings.filesDir());
    dataDir = Path.of(settings.filesDir()).toAbsolutePath().normalize().getParent();
    return Future.all(List.of(
            handle(Addresses.INGEST_NOTIFY, this::notify),
            handle(Addresses.INGEST_REGISTER_UPLOADS, this::registerUploads),
            handleRead(Addresses.INGEST_STATUS, this::status),
            handle(Addresses.INGEST_RETRY, this::retry),
            handle(Addresses.INGEST_REINDEX, this::reindex),
            handle(Addresses.INGEST_CANCEL, this::cancel),
            handle(Addresses.INGEST_DELETE, body -> delete(Fields.positiveLong(body, "id"))),
            handleRead(Addresses.INGEST_DRAIN, body -> runner.drain()),
            vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_EMBED_PROGRESS, msg -> runner.embedProgress(msg.body())).completion()))
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
          LOG.info("ingest queue rebuilt from the database: {} resources to index{}", ids.size(),
              pending.getInteger("failed_permanently", 0) == 0 ? "" : "; " + pending.getInteger("failed_permanently")
                  + " failed for good and wait until their file changes or POST /ingest/retry/{id} asks");
          runner.resume(ids.stream().map(id -> ((Number) id).longValue()).toList());
        });
  }

  private Future<JsonObject> notify(JsonObject body) {
    long id = Fields.positiveLong(body, "id");
    if ("task".equals(body.getString("source_type"))) {
      // Task rows carry no file; their AI suggestions come from the agent endpoints.
      return Future.succeededFuture(new JsonObject().put("accepted", true).put("queued", false)
          .put("reason", "tasks have no file to index"));
    }
    if ("deleted".equals(body.getString("action"))) {
      return delete(id).map(deleted -> new JsonObject().put("accepted", true).put("queued", false)
          .put("removed", deleted.getBoolean("existed", false)));
    }
    return row(id).map(row -> {
      if (!row.needsIndexing() && !runner.isInFlight(id)) {
        return new JsonObject().put("accepted", true).put("queued", false).put("reason", "unchanged");
      }
      runner.enqueue(id, false);
      return new JsonObject().put("accepted", true).put("queued", true);
    });
  }

  private Future<JsonObject> registerUploads(JsonObject body) {
    // the task is followed before its files are queued, so none of their progress goes unseen
    return uploads.register(body).compose(created -> Bus.request(vertx, Addresses.TASKS_TRACK,
            new JsonObject().put("task_id", created.getLong("task_id")), 10_000)
        .otherwise(e -> {
          LOG.error("task {} is not followed (its files are indexed all the same): {}", created.getLong("task_id"),
              e.getMessage());
          return null;
        })
        .map(created)).map(created -> {
      created.getJsonArray("replaced", new JsonArray()).forEach(id -> runner.forget(((Number) id).longValue()));
      created.getJsonArray("resources").forEach(r -> {
        JsonObject resource = (JsonObject) r;
        if (!resource.getBoolean("duplicate", false)) {
          runner.enqueue(resource.getLong("resource_id"), false);
        }
      });
      return created;
    });
  }

  /** {resource_ids, reason} → {cancelled, running}: queued files leave the queue and end in error; running ones go on. */
  private Future<JsonObject> cancel(JsonObject body) {
    String reason = Fields.text(body, "reason", 500, false);
    JsonArray cancelled = new JsonArray();
    JsonArray running = new JsonArray();
    for (Object id : body.getJsonArray("resource_ids", new JsonArray())) {
      if (!(id instanceof Number number) || number.longValue() <= 0) {
        return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("resource_ids must be positive integers", "resource_ids"));
      }
    }
    for (Object id : body.getJsonArray("resource_ids", new JsonArray())) {
      long resource = ((Number) id).longValue();
      (runner.cancel(resource, reason == null ? "cancelled" : reason) ? cancelled : running).add(resource);
    }
    return Future.succeededFuture(new JsonObject().put("cancelled", cancelled).put("running", running));
  }

  /** Queues documents again whatever their hashes say (their base's chunk settings changed). */
  private Future<JsonObject> reindex(JsonObject body) {
    Fields.optionalPositiveLong(body, "knowledge_base_id"); // only labels the request
    JsonArray ids = body.getJsonArray("resource_ids", new JsonArray());
    for (Object id : ids) {
      if (!(id instanceof Number number) || number.longValue() <= 0) {
        return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("resource_ids must be positive integers", "resource_ids"));
      }
    }
    ids.forEach(id -> runner.enqueue(((Number) id).longValue(), true));
    return Future.succeededFuture(new JsonObject().put("documents", ids.size()));
  }

  private Future<JsonObject> status(JsonObject body) {
    long id = Fields.positiveLong(body, "id");
    // the run's state is taken before the row is read: a run that ends meanwhile leaves a row read from before its
    // commit, which alone would show the earlier failure again
    boolean waiting = runner.isWaiting(id);
    ProgressEvent running = runner.progress(id).orElse(null);
    return row(id).map(row -> IngestStatus.of(row, waiting, running, dataDir));
  }

  private Future<JsonObject> retry(JsonObject body) {
    long id = Fields.positiveLong(body, "id");
    return row(id).compose(row -> {
      if (!row.inError()) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception(
            "resource " + id + " is not in error (status " + row.processingStage() + ")", Keys.ID));
      }
      runner.enqueue(id, true);
      return Future.succeededFuture(new JsonObject().put(Keys.RESOURCE_ID, id).put("queued", true));
    });
  }

  private Future<ResourceRow> row(long id) {
    return Bus.request(vertx, Addresses.STORE_RESOURCE_GET, new JsonObject().put(Keys.ID, id), 10_000)
        .map(ResourceRow::fromJson);
  }

  private Future<JsonObject> delete(long id) {
    runner.forget(id);
    return Bus.request(vertx, Addresses.STORE_RESOURCE_DELETE, new JsonObject().put("id", id), 30_000)
        .compose(deleted -> uploads.removeStoredFile(deleted).map(deleted));
  }

  /** Serves {@code address}; once shutdown began, only reads are answered (writes would be lost in the drain). */
  private Future<Void> handle(String address, Function<JsonObject, Future<JsonObject>> operation) {
    return Bus.serve(vertx, address, Bus.gated(runner::accepting, "atrium is shutting down", operation));
  }

  private Future<Void> handleRead(String address, Function<JsonObject, Future<JsonObject>> read) {
    return Bus.serve(vertx, address, read);
  }
}
