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
 * Writes retrieval_logs rows through the store, one batch at a time: a row goes at once when no batch is being
 * written, else with every row that arrives meanwhile in the next batch. So a quiet atrium writes each row as its
 * request ends, and 100 requests ending together cost the store a few transactions, not 100, while the answers are
 * still going out. Used on the chat verticle's event loop only.
 */
final class RetrievalLogWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RetrievalLogWriter.class);

  private final Vertx vertx;
  private final long timeoutMs;
  private List<JsonObject> pending = new ArrayList<>();
  private boolean writing;
  private final List<Promise<Void>> drained = new ArrayList<>();

  RetrievalLogWriter(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void write(JsonObject entry) {
    pending.add(entry);
    if (!writing) {
      writeBatch();
    }
  }

  /** Completes once every row given so far has been written (or its write failed). */
  Future<Void> drain() {
    if (!writing) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    drained.add(promise);
    return promise.future();
  }

  private void writeBatch() {
    List<JsonObject> batch = pending;
    pending = new ArrayList<>();
    writing = true;
    Bus.request(vertx, Addresses.STORE_CHAT_LOG, new JsonObject().put("entries", new JsonArray(batch)),
            timeoutMs)
        .onFailure(e -> LOG.warn("retrieval logs of chat requests {} not written: {}",
            batch.stream().map(entry -> entry.getString("request_id")).toList(), e.getMessage()))
        .onComplete(v -> {
          if (!pending.isEmpty()) {
            writeBatch();
            return;
          }
          writing = false;
          drained.forEach(Promise::tryComplete);
          drained.clear();
        });
  }
}
