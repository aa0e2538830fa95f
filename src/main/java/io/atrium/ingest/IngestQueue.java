package io.atrium.ingest;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The resources waiting for and under processing. A resource is queued at most once; one that is notified again
 * while in flight is queued again when it finishes (its file may have changed mid-run). Event-loop confined.
 */
final class IngestQueue {
  private final LinkedHashSet<Long> waiting = new LinkedHashSet<>();
  private final Set<Long> inFlight = new HashSet<>();
  private final Set<Long> again = new HashSet<>();
  private final Set<Long> forced = new HashSet<>();

  /** Queues a resource; false when it was already waiting. */
  boolean offer(long id, boolean force) {
    if (force) {
      forced.add(id);
    }
    if (inFlight.contains(id)) {
      again.add(id);
      return true;
    }
    return waiting.add(id);
  }

  Optional<Long> take() {
    var it = waiting.iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    long id = it.next();
    it.remove();
    inFlight.add(id);
    return Optional.of(id);
  }

  /** True when the resource must be processed even if its hash says it is up to date (a manual retry). */
  boolean consumeForce(long id) {
    return forced.remove(id);
  }

  void finished(long id) {
    inFlight.remove(id);
    if (again.remove(id)) {
      waiting.add(id);
    }
  }

  void remove(long id) {
    waiting.remove(id);
    again.remove(id);
    forced.remove(id);
  }

  boolean isWaiting(long id) {
    return waiting.contains(id);
  }

  boolean isInFlight(long id) {
    return inFlight.contains(id);
  }

  int inFlightCount() {
    return inFlight.size();
  }

  int waitingCount() {
    return waiting.size();
  }
}
