package io.atrium.ingest;

import io.atrium.bus.ProgressEvent;
import io.atrium.bus.Stage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each run's percentage monotonic: a stage or percentage lower than what was already announced is dropped.
 * A new run (after done or error) starts again from zero. Event-loop confined.
 */
final class ProgressTracker {
  private final Map<Long, ProgressEvent> current = new HashMap<>();

  /** Forgets the previous run, so the next event (todo, 0) is announced. */
  void startRun(long resourceId) {
    current.remove(resourceId);
  }

  /** The event to publish, or empty when it would move backwards or repeat. */
  Optional<ProgressEvent> advance(long resourceId, Stage stage, int percentage, String error) {
    return advance(resourceId, stage, percentage, error, null, null, null);
  }

  /** {@link #advance} with an embedding's chunk counts and estimate (see {@link ProgressEvent}). */
  Optional<ProgressEvent> advance(long resourceId, Stage stage, int percentage, String error, Integer chunksDone,
      Integer chunksTotal, Long etaSeconds) {
    ProgressEvent last = current.get(resourceId);
    int pct = Math.max(0, Math.min(100, percentage));
    if (last != null) {
      if (stage != Stage.ERROR && (stage.ordinal() < last.stage().ordinal()
          || (stage == last.stage() && pct <= last.percentage()))) {
        return Optional.empty();
      }
      pct = Math.max(pct, last.percentage());
    }
    ProgressEvent event = new ProgressEvent(resourceId, stage, pct, error, chunksDone, chunksTotal, etaSeconds);
    if (stage == Stage.DONE || stage == Stage.ERROR) {
      current.remove(resourceId);
    } else {
      current.put(resourceId, event);
    }
    return Optional.of(event);
  }

  Optional<ProgressEvent> current(long resourceId) {
    return Optional.ofNullable(current.get(resourceId));
  }
}
