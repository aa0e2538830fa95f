package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BareNumberTest {

  private static void assertNumbers(String name, Integer season, Integer episode) {
    Findings found = Stages.of(name).bareNumber();
    assertThat(found.season()).as("season of %s", name).isEqualTo(season);
    assertThat(found.episode()).as("episode of %s", name).isEqualTo(episode);
  }

  @Test
  void aNumberAfterTheTitleIsTheEpisode() {
    assertNumbers("Show.Name.10.720p", null, 10);
    assertNumbers("[Group] Show 13", null, 13);
    assertNumbers("new.girl.117.hdtv", 1, 17);
  }

  @Test
  void ofARunOfNumbersTheLastCounts() {
    assertNumbers("the.100.109.hdtv", 1, 9);
  }

  @Test
  void aNumberBeforeAYearBelongsToTheTitle() {
    assertNumbers("Apollo 13 1995", null, null);
  }

  @Test
  void aNumberAfterAStrongTagOrADateIsNone() {
    assertNumbers("Show.720p.10", null, null);
    assertNumbers("Show.2015.07.22.10", null, null);
  }

  @Test
  void aBareNumberReplacesASeasonReadBefore() {
    // the known quirk: the season of "S02" is lost
    assertNumbers("Show.S02.10.720p", null, 10);
  }
}
