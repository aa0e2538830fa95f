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
    return uploads.register(body).map(created -> {
      created.getJsonArray("resources").forEach(r -> runner.enqueue(((JsonObject) r).getLong("resource_id"), false));
      return created;
    });
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
