package io.atrium.tasks;

import java.util.Collection;
import java.util.Set;

/**
 * A task's status from its items' outcomes (null: not ended yet), the words Celery and Flower users know: pending
 * until an item starts, running, then succeeded (every item done, or already there, or deleted meanwhile), failed (none
 * done) or partial. Cancelled is set by a cancel, never derived.
 */
final class TaskStatus {
  static final String PENDING = "pending";
  static final String RUNNING = "running";
  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";
  static final String PARTIAL = "partial";
  static final String CANCELLED = "cancelled";
  static final Set<String> ENDED = Set.of(SUCCEEDED, FAILED, PARTIAL, CANCELLED);
  static final Set<String> FAILED_OUTCOMES = Set.of("error", "cancelled");

  private TaskStatus() {
  }

  static String of(Collection<String> outcomes, boolean started) {
    int failed = 0;
    int open = 0;
    for (String outcome : outcomes) {
      if (outcome == null) {
        open++;
      } else if (FAILED_OUTCOMES.contains(outcome)) {
        failed++;
      }
    }
    if (open > 0) {
      return started || open < outcomes.size() ? RUNNING : PENDING;
    }
    if (failed == 0) {
      return SUCCEEDED;
    }
    return failed == outcomes.size() ? FAILED : PARTIAL;
  }
}
