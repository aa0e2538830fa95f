package io.atrium.chat;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes retrieval_logs rows through the store in batches: a row waits at most {@link #BATCH_WINDOW_MS} (or until
 * {@link #BATCH_MAX} rows wait) for the rows of requests ending at about the same time, and one batch is written at
 * a time. So 100 requests ending together cost the store one or two transactions and thread hand-offs, not 100,
 * while their answers are still going out. A row is never dropped for waiting; only a failed write loses it (logged
 * here, and by the store for a single bad row). Used on the chat verticle's event loop only.
 */
final class RetrievalLogWriter {
  static final long BATCH_WINDOW_MS = 20;
  static final int BATCH_MAX = 500;
  private static final Logger LOG = LoggerFactory.getLogger(RetrievalLogWriter.class);

  private final Vertx vertx;
  private final long timeoutMs;
  private final List<Promise<Void>> drained = new ArrayList<>();
  private List<JsonObject> pending = new ArrayList<>();
  private boolean writing;
  private long timer = -1;

  RetrievalLogWriter(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void write(JsonObject entry) {
    pending.add(entry);
    if (!writing) {
      schedule(); // else it goes with the next batch, once this one is written
    }
  }

  /** Writes what waits now and completes once every row given so far has been written (or its write failed). */
  Future<Void> drain() {
    if (!writing && pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    drained.add(promise);
    if (!writing) {
      writeBatch();
    }
    return promise.future();
  }

  private void writeBatch() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<JsonObject> batch = pending;
    pending = new ArrayList<>();
    writing = true;
    Bus.request(vertx, Addresses.STORE_CHAT_LOG, new JsonObject().put("entries", new JsonArray(batch)), timeoutMs)
        .onFailure(e -> LOG.warn("retrieval logs of chat requests {} not written: {}",
            batch.stream().map(entry -> entry.getString("request_id")).toList(), e.getMessage()))
        .onComplete(v -> {
          writing = false;
          if (!pending.isEmpty()) {
            schedule();
            return;
          }
          drained.forEach(Promise::tryComplete);
          drained.clear();
        });
  }

  /** Writes the waiting rows now if there are enough or someone waits for them, else when the window closes. */
  private void schedule() {
    if (pending.size() >= BATCH_MAX || !drained.isEmpty()) {
      writeBatch();
    } else if (timer < 0) {
      timer = vertx.setTimer(BATCH_WINDOW_MS, id -> {
        timer = -1;
        if (!writing && !pending.isEmpty()) {
          writeBatch();
        }
      });
    }
  }
}
