package io.atrium.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {

  @Test
  void reciprocalRankFavoursWhatBothListsAgreeOn() {
    List<Fusion.Fused> fused = Fusion.reciprocalRank(List.of(1L, 2L, 3L), List.of(3L, 4L, 1L), 60, 10);
    assertThat(fused).extracting(Fusion.Fused::chunkId).startsWith(1L, 3L).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    assertThat(fused.getFirst().ftsRank()).isEqualTo(1);
    assertThat(fused.getFirst().vectorRank()).isEqualTo(3);
  }

  @Test
  void aLowVectorWeightLetsFullTextDecide() {
    List<Fusion.Fused> fused = Fusion.reciprocalRank(List.of(1L, 2L), List.of(2L, 1L), 60, 10, 0.25);
    assertThat(fused).extracting(Fusion.Fused::chunkId).containsExactly(1L, 2L);
  }

  @Test
  void dedupeTakesFromBothListsInTurnWithoutRepeats() {
    List<Fusion.Fused> fused = Fusion.dedupe(List.of(1L, 2L, 3L), List.of(3L, 4L, 1L), 10);
    assertThat(fused).extracting(Fusion.Fused::chunkId).containsExactly(3L, 1L, 4L, 2L);
  }

  @Test
  void limitsApply() {
    assertThat(Fusion.reciprocalRank(List.of(1L, 2L, 3L), List.of(), 60, 2)).hasSize(2);
    assertThat(Fusion.dedupe(List.of(1L, 2L, 3L), List.of(4L, 5L), 3)).hasSize(3);
  }
}
