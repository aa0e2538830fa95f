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
  void weightedFusionNormalisesEachListSoScalesDoNotMatterAndKeepsTheRawScores() {
    // bm25-like scores in the tens, cosines near one: after min-max both run 0..1
    List<Fusion.Scored> fts = List.of(new Fusion.Scored(1, 30.0), new Fusion.Scored(2, 20.0), new Fusion.Scored(3, 10.0));
    List<Fusion.Scored> vector = List.of(new Fusion.Scored(3, 0.90), new Fusion.Scored(2, 0.85), new Fusion.Scored(4, 0.80));
    List<Fusion.Fused> fused = Fusion.weighted(fts, vector, 0.5, 10);
    // 1: .5*1 + 0; 2: .5*.5 + .5*.5; 3: 0 + .5*1 — all about .5; 4: .5*0 = 0, last
    assertThat(fused).extracting(Fusion.Fused::score).allSatisfy(score -> assertThat(score).isBetween(0.0, 0.5 + 1e-9));
    assertThat(fused.getLast().chunkId()).isEqualTo(4L);
    Fusion.Fused two = fused.stream().filter(f -> f.chunkId() == 2L).findFirst().orElseThrow();
    assertThat(two.score()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(two.ftsScore()).isEqualTo(20.0);
    assertThat(two.vectorScore()).isEqualTo(0.85);
    assertThat(two.ftsRank()).isEqualTo(2);
    assertThat(two.vectorRank()).isEqualTo(2);

    assertThat(Fusion.weighted(fts, vector, 0.9, 10)).extracting(Fusion.Fused::chunkId).startsWith(3L, 2L);
    assertThat(Fusion.weighted(fts, vector, 0.0, 10)).extracting(Fusion.Fused::chunkId).startsWith(1L, 2L, 3L);
    assertThat(Fusion.weighted(fts, List.of(), 0.65, 2)).extracting(Fusion.Fused::chunkId).containsExactly(1L, 2L);
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
