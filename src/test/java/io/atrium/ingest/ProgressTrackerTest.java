package io.atrium.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.ProgressEvent;
import io.atrium.bus.Stage;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {
  private final ProgressTracker tracker = new ProgressTracker();

  @Test
  void percentagesNeverGoBackWithinARun() {
    tracker.startRun(1);
    assertThat(tracker.advance(1, Stage.TODO, 0, null)).isPresent();
    assertThat(tracker.advance(1, Stage.EMBEDDING, 60, null)).isPresent();
    assertThat(tracker.advance(1, Stage.EMBEDDING, 40, null)).as("lower").isEmpty();
    assertThat(tracker.advance(1, Stage.CHUNKING, 5, null)).as("earlier stage, as when a retry restarts").isEmpty();
    assertThat(tracker.advance(1, Stage.DONE, 100, null)).map(ProgressEvent::percentage).contains(100);
  }

  @Test
  void anErrorKeepsThePercentageReached() {
    tracker.startRun(2);
    tracker.advance(2, Stage.EMBEDDING, 50, null);
    assertThat(tracker.advance(2, Stage.ERROR, 0, "boom")).map(ProgressEvent::percentage).contains(50);
  }

  @Test
  void aNewRunStartsFromZero() {
    tracker.startRun(3);
    tracker.advance(3, Stage.DONE, 100, null);
    tracker.startRun(3);
    assertThat(tracker.advance(3, Stage.TODO, 0, null)).isPresent();
  }
}
