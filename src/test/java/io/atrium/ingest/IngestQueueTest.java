package io.atrium.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestQueueTest {
  private final IngestQueue queue = new IngestQueue();

  @Test
  void aResourceIsQueuedOnce() {
    assertThat(queue.offer(1, false)).isTrue();
    assertThat(queue.offer(1, false)).isFalse();
    assertThat(queue.take()).contains(1L);
    assertThat(queue.take()).isEmpty();
  }

  @Test
  void aResourceNotifiedWhileInFlightRunsAgainAfterwards() {
    queue.offer(1, false);
    queue.take();
    queue.offer(1, false);
    assertThat(queue.take()).isEmpty();
    queue.finished(1);
    assertThat(queue.take()).contains(1L);
  }

  @Test
  void removedResourcesLeaveTheQueue() {
    queue.offer(1, true);
    queue.remove(1);
    assertThat(queue.take()).isEmpty();
    assertThat(queue.consumeForce(1)).isFalse();
  }
}
