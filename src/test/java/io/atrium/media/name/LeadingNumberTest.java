package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeadingNumberTest {

  @Test
  void aNumberBeforeADashOpensTheTitleAsItsEpisode() {
    Findings found = Stages.of("12 - Tari Tari").leadingNumber();
    assertThat(found.episode()).isEqualTo(12);
    assertThat(found.firstEpisodeMarker()).isZero();
  }

  @Test
  void aNameOfOnlyANumberIsThatEpisode() {
    assertThat(Stages.of("03").leadingNumber().episode()).isEqualTo(3);
  }

  @Test
  void animeNamesMayLeaveOutTheDash() {
    assertThat(Stages.of("[DeadFish] 12 Tari Tari").leadingNumber().episode()).isEqualTo(12);
    assertThat(Stages.of("12 Angry Men").leadingNumber().episode()).isNull();
  }

  @Test
  void aLeadingYearIsTheTitlesAndAKnownEpisodeIsKept() {
    assertThat(Stages.of("1917 - Title").leadingNumber().episode()).isNull();
    assertThat(Stages.of("01 - Title S02E05").leadingNumber().episode()).isEqualTo(5);
  }
}
