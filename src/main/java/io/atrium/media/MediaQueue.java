package io.atrium.media;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.Keys;
import io.atrium.bus.MediaFile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code media.processors} loops, each claiming the next due PENDING file from the store (atomically), processing it
 * and recording the outcome, then claiming again; an idle loop sleeps until a scan adds files, a postponed file
 * is due, or a minute passes.
 * Every status change is published on {@link Addresses#EVENTS_MEDIA}.
 */
final class MediaQueue {
  private static final Logger LOG = LoggerFactory.getLogger(MediaQueue.class);
  private static final long STORE_TIMEOUT_MS = 30_000;
  private static final long IDLE_MS = 60_000;

  private final Vertx vertx;
  private final MediaSettings settings;
  private final MediaProcessor processor;
  private final Deque<Promise<Void>> idle = new ArrayDeque<>();
  private boolean stopped;

  MediaQueue(Vertx vertx, MediaSettings settings, MediaProcessor processor) {
    this.vertx = vertx;
    this.settings = settings;
    this.processor = processor;
  }

  void start() {
    for (int i = 0; i < settings.processors(); i++) {
      loop();
    }
  }

  /** New files are waiting: wake every idle loop. */
  void wake() {
    while (!idle.isEmpty()) {
      idle.poll().tryComplete();
    }
  }

  void stop() {
    stopped = true;
    wake();
  }

  private void loop() {
    if (stopped) {
      return;
    }
    Bus.request(vertx, Addresses.STORE_MEDIA_CLAIM, new JsonObject().put("claim_timeout_s", settings.claimTimeoutS()), STORE_TIMEOUT_MS)
        .compose(claimed -> {
          if (claimed.getJsonObject("file") == null) {
            return sleep(Math.min(IDLE_MS, Math.max(50, claimed.getLong("next_due_ms", IDLE_MS))));
          }
          MediaFile file = MediaFile.fromJson(claimed.getJsonObject("file"));
          publish(file, new JsonObject().put("status", "PROCESSING"));
          return processor.process(file).compose(outcome -> record(file, outcome));
        })
        .onComplete(done -> {
          if (done.failed()) {
            LOG.error("media queue step failed: {}", done.cause().getMessage());
          }
          vertx.runOnContext(v -> loop());
        });
  }

  /** Stores the outcome and announces it. */
  Future<Void> record(MediaFile file, JsonObject outcome) {
    return Bus.request(vertx, Addresses.STORE_MEDIA_FINISH, outcome, STORE_TIMEOUT_MS)
        .onSuccess(v -> publish(file, outcome))
        .mapEmpty();
  }

  private Future<Void> sleep(long ms) {
    Promise<Void> wakeUp = Promise.promise();
    idle.add(wakeUp);
    long timer = vertx.setTimer(ms, id -> wakeUp.tryComplete());
    return wakeUp.future().onComplete(v -> vertx.cancelTimer(timer));
  }

  private void publish(MediaFile file, JsonObject outcome) {
    JsonObject event = new JsonObject().put(Keys.ID, file.id()).put(MediaFile.RELATIVE_PATH, file.relativePath())
        .put("status", outcome.getString("status"));
    for (String field : new String[] {"reason", "tmdb_title", "tmdb_year", "target_path"}) {
      if (outcome.getValue(field) != null) {
        event.put(field, outcome.getValue(field));
      }
    }
    vertx.eventBus().publish(Addresses.EVENTS_MEDIA, event);
  }
}
