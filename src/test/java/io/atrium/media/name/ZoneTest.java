package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZoneTest {

  @Test
  void leadingGroupBracketsAreDroppedAndMakeTheNameAnimeStyle() {
    Zone zone = Zone.of("[SubsPlease][Batch] Show Name - 15 [1080p]");
    assertThat(zone.text()).isEqualTo(" Show Name - 15 [1080p]");
    assertThat(zone.anime()).isTrue();
  }

  @Test
  void leadingParenthesesAreDroppedOnlyWhenTheyHoldTagsOrANumber() {
    assertThat(Zone.of("(1080p) Title").text()).isEqualTo(" Title");
    assertThat(Zone.of("(500) Days of Summer").text()).isEqualTo(" Days of Summer");
    assertThat(Zone.of("(Untitled) Title").text()).isEqualTo("(Untitled) Title");
  }

  @Test
  void aNameMadeOnlyOfBlocksLeavesNothingToReadAsText() {
    assertThat(Zone.of("[Group][进击的巨人][01]").text()).isEmpty();
  }

  @Test
  void aSitePrefixIsDroppedAndAPlainNameKept() {
    assertThat(Zone.of("www.example.org - Title.2019").text()).isEqualTo("Title.2019");
    Zone plain = Zone.of("The.Rum.Diary.2011");
    assertThat(plain.text()).isEqualTo("The.Rum.Diary.2011");
    assertThat(plain.anime()).isFalse();
  }

  @Test
  void aCrcOrAFansubWordMakesTheNameAnimeStyle() {
    assertThat(Zone.of("Show_01_(1a2b3c4d)").anime()).isTrue();
    assertThat(Zone.of("One.Piece.576.VOSTFR").anime()).isTrue();
  }

  @Test
  void aBracketAfterSeparatorsIsSeen() {
    Zone zone = Zone.of("Show 13 [1080p]");
    assertThat(zone.bracketFollows("Show 13".length())).isTrue();
    assertThat(zone.bracketFollows("Show".length())).isFalse();
  }
}
