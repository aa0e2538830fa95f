package io.atrium.media;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media organiser of seed 003 on the event loop: periodic and on-demand scans (the walk runs on a worker),
 * the processing queue, and the API's requests. Files are processed only when a library folder and TMDB
 * credentials are configured; until then scans still record them as PENDING. Wiring only.
 */
public final class MediaVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MediaVerticle.class);
  private static final long STORE_TIMEOUT_MS = 30_000;
  private static final int UPSERT_BATCH = 2_000;

  private MediaSettings settings;
  private MediaScanner scanner;
  private Recognizer recognizer;
  private TmdbClient tmdb;
  private MediaProcessor processor;
  private MediaQueue queue;
  private Future<JsonObject> runningScan;

  @Override
  public Future<?> start() {
    settings = MediaSettings.fromJson(config());
    scanner = new MediaScanner(settings);
    recognizer = new Recognizer(vertx, settings.llm(), settings.llmTimeoutMs(), FilenameParser::parse);
    String notProcessing = whyNotProcessing();
    if (notProcessing == null) {
      tmdb = new TmdbClient(vertx, settings.tmdb());
      processor = new MediaProcessor(vertx, settings, recognizer, tmdb,
          new Linker(settings.libraryDir(), settings.movieTemplate(), settings.episodeTemplate(), settings.subtitleExtensions()));
      queue = new MediaQueue(vertx, settings, processor);
      queue.start();
    } else if (!settings.sourceDirs().isEmpty()) {
      LOG.warn("media files are scanned but not processed: {}", notProcessing);
    }
    if (!settings.sourceDirs().isEmpty()) {
      vertx.setTimer(1_000, id -> scan());
      vertx.setPeriodic(settings.scanIntervalS() * 1000, id -> scan());
    }
    return Future.all(
        handle(Addresses.MEDIA_SCAN, body -> scan()),
        handle(Addresses.MEDIA_RECOGNIZE, this::recognize),
        handle(Addresses.MEDIA_LIST, body -> Bus.request(vertx, Addresses.STORE_MEDIA_LIST, body, STORE_TIMEOUT_MS)),
        handle(Addresses.MEDIA_GET, body -> Bus.request(vertx, Addresses.STORE_MEDIA_GET, body, STORE_TIMEOUT_MS)),
        handle(Addresses.MEDIA_RETRY, body -> corrections().retry(body)),
        handle(Addresses.MEDIA_MATCH, body -> corrections().match(body)));
  }

  @Override
  public Future<?> stop() {
    if (queue != null) {
      queue.stop();
    }
    return tmdb == null ? Future.succeededFuture() : tmdb.close();
  }

  private String whyNotProcessing() {
    if (settings.libraryDir() == null) {
      return "media.library_dir is not set";
    }
    if (!settings.tmdbConfigured()) {
      return "neither media.tmdb_api_key nor media.tmdb_bearer_token is set";
    }
    return null;
  }

  /** One scan at a time: a request during a scan gets that scan's result. */
  private Future<JsonObject> scan() {
    if (settings.sourceDirs().isEmpty()) {
      return Future.failedFuture(ErrorCode.CONFLICT.exception("no media.source_dirs are configured", "media.source_dirs"));
    }
    if (runningScan == null) {
      runningScan = vertx.executeBlocking(scanner::scan, false)
          .compose(found -> record(found.files(), 0, 0, 0)
              .map(stored -> new JsonObject()
                  .put("found", found.files().size())
                  .put("added", stored[0])
                  .put("moved", stored[1])
                  .put("skipped", new JsonObject(new HashMap<String, Object>(found.skipped())))
                  .put("processing", queue != null)
                  .put("reason", whyNotProcessing())))
          .onSuccess(result -> {
            LOG.info("media scan: {}", result.encode());
            if (queue != null && result.getInteger("added") > 0) {
              queue.wake();
            }
          })
          .onComplete(done -> runningScan = null);
    }
    return runningScan;
  }

  /** Retries and manual matches, which need the processing side configured. */
  private ManualActions corrections() {
    if (queue == null) {
      throw ErrorCode.CONFLICT.exception("media files are not processed: " + whyNotProcessing());
    }
    return new ManualActions(vertx, processor, queue);
  }

  /**
   * Records scanned files in batches of {@link #UPSERT_BATCH} (a NAS of 100,000 files is not one message or one
   * transaction); answers {added, moved}.
   */
  private Future<int[]> record(JsonArray files, int from, int added, int moved) {
    if (from >= files.size()) {
      return Future.succeededFuture(new int[] {added, moved});
    }
    JsonArray batch = new JsonArray(files.getList().subList(from, Math.min(files.size(), from + UPSERT_BATCH)));
    return Bus.request(vertx, Addresses.STORE_MEDIA_UPSERT, new JsonObject().put("files", batch), STORE_TIMEOUT_MS)
        .compose(stored -> {
          if (queue != null && !stored.getJsonArray("added").isEmpty()) {
            queue.wake(); // processing starts while the rest is still being recorded
          }
          return record(files, from + UPSERT_BATCH, added + stored.getJsonArray("added").size(), moved + stored.getInteger("moved"));
        });
  }

  private Future<JsonObject> recognize(JsonObject body) {
    if (!(body.getValue("name") instanceof String name) || name.isBlank() || name.length() > 4096) {
      throw ErrorCode.INVALID_REQUEST.exception("name must be a file name or relative path of at most 4096 characters", "name");
    }
    return recognizer.recognize(name).map(Recognizer.Recognized::toJson);
  }

  private Future<Void> handle(String address, Function<JsonObject, Future<JsonObject>> operation) {
    return Bus.serve(vertx, address, operation);
  }
}
