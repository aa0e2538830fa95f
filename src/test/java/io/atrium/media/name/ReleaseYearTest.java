package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseYearTest {

  private static Integer year(String name) {
    return Stages.of(name).year().year();
  }

  @Test
  void theFirstYearUnlessABracketedOneOrTwoInARow() {
    assertThat(year("Title.2011.1080p")).isEqualTo(2011);
    assertThat(year("Title 1999 Remake (2019)")).isEqualTo(2019);
    assertThat(year("Blade.Runner.2049.2017.1080p")).isEqualTo(2017);
  }

  @Test
  void aYearThatStartsTheTitleIsTheTitle() {
    assertThat(year("2012.2009.720p")).isEqualTo(2009);
    assertThat(year("1917")).isNull();
  }

  @Test
  void afterAnEpisodeMarkerOnlyAYearBeforeTagsCounts() {
    assertThat(year("Show.S01E02.The.1999.Party")).isNull();
    assertThat(year("Show.S01E02.2019.720p")).isEqualTo(2019);
  }

  @Test
  void aYearInsideAResolutionIsNone() {
    assertThat(year("Title 2000x1080")).isNull();
  }

  @Test
  void theChosenYearIsMarked() {
    assertThat(Stages.of("Title.2011.1080p").year().markers().list()).contains(new Marker(6, 10, Marker.Kind.YEAR));
  }
}
