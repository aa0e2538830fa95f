package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TitleSpanTest {

  private static String title(String name) {
    return Stages.of(name).title();
  }

  @Test
  void theTitleEndsAtTheFirstMarkerOrTag() {
    assertThat(title("The.Rum.Diary.2011.1080p")).isEqualTo("The.Rum.Diary.");
    assertThat(title("Show.Name.S01E02.Ep.Title")).isEqualTo("Show.Name.");
    assertThat(title("Title.FRENCH.DVDRip")).isEqualTo("Title.");
  }

  @Test
  void aNameThatOpensWithAMarkerHasItsTitleAfterIt() {
    assertThat(Stages.of("E13 - The Wedding of River Song").span().afterMarker()).isTrue();
    assertThat(title("E13 - The Wedding of River Song")).isEqualTo("The Wedding of River Song");
  }

  @Test
  void weakTagsBeforeADashAreSkipped() {
    assertThat(title("Extended - Title - 2019")).isEqualTo("Title ");
  }

  @Test
  void aFilmNumberIsFollowedByTheFilmsTitle() {
    assertThat(title("James_Bond-f21-Casino_Royale")).isEqualTo("Casino_Royale");
  }

  @Test
  void nothingButTagsIsNoTitle() {
    assertThat(title("1080p.x264")).isNull();
    assertThat(title("S01E02.720p")).isNull();
  }
}
