package io.atrium.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class VectorIndexTest {

  @Test
  void findsTheMostSimilarChunksBestFirstAndHonoursTheResourceFilter() {
    VectorIndex index = new VectorIndex();
    index.put(1, new long[] {10, 11}, new float[] {1, 0, 0, 1}, 2);
    index.put(2, new long[] {20}, new float[] {0.6f, 0.8f}, 2);
    assertThat(index.search(new float[] {1, 0}, 2, null)).extracting(VectorIndex.Hit::chunkId).containsExactly(10L, 20L);
    assertThat(index.search(new float[] {1, 0}, 5, Set.of(2L))).extracting(VectorIndex.Hit::chunkId).containsExactly(20L);
  }

  @Test
  void replacingOrRemovingAResourceSwapsItsVectors() {
    VectorIndex index = new VectorIndex();
    index.put(1, new long[] {10}, new float[] {1, 0}, 2);
    index.put(1, new long[] {12, 13}, new float[] {0, 1, 1, 0}, 2);
    assertThat(index.size()).isEqualTo(2);
    index.remove(1);
    assertThat(index.search(new float[] {1, 0}, 5, null)).isEmpty();
  }
}
