package io.atrium.media;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code perSecond} permits a second, handed out evenly (one every 1000/perSecond ms) in request order, so a
 * burst of lookups becomes a steady stream under TMDB's limit instead of a 429 storm. Used on one event loop.
 */
final class RateLimiter {
  private final Vertx vertx;
  private final long intervalNanos;
  private final Deque<Promise<Void>> waiting = new ArrayDeque<>();
  private long nextFreeNanos = System.nanoTime();
  private boolean timerSet;

  RateLimiter(Vertx vertx, int perSecond) {
    this.vertx = vertx;
    this.intervalNanos = 1_000_000_000L / perSecond;
  }

  Future<Void> acquire() {
    Promise<Void> permit = Promise.promise();
    waiting.add(permit);
    drain();
    return permit.future();
  }

  private void drain() {
    long now = System.nanoTime();
    while (!waiting.isEmpty() && nextFreeNanos <= now) {
      nextFreeNanos = Math.max(nextFreeNanos, now - intervalNanos) + intervalNanos;
      waiting.poll().complete();
    }
    if (!waiting.isEmpty() && !timerSet) {
      timerSet = true;
      long delayMs = Math.max(1, (nextFreeNanos - now + 999_999) / 1_000_000);
      vertx.setTimer(delayMs, id -> {
        timerSet = false;
        drain();
      });
    }
  }

  int waiting() {
    return waiting.size();
  }
}
