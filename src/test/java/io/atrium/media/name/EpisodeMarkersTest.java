package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.media.name.Marker.Kind;
import org.junit.jupiter.api.Test;

class EpisodeMarkersTest {

  private static Findings find(String name) {
    return EpisodeMarkers.find(Zone.of(name));
  }

  private static void assertNumbers(String name, Integer season, Integer episode) {
    Findings found = find(name);
    assertThat(found.season()).as("season of %s", name).isEqualTo(season);
    assertThat(found.episode()).as("episode of %s", name).isEqualTo(episode);
  }

  @Test
  void sceneAndCrossNotationsGiveSeasonAndEpisode() {
    assertNumbers("Show.S05E06.720p", 5, 6);
    assertNumbers("Show.2x05.Title", 2, 5);
    assertNumbers("Show.Cap.102", 1, 2);
  }

  @Test
  void theFirstMarkerToGiveANumberKeepsIt() {
    assertNumbers("wheels.s03e01e02", 3, 1);
    assertNumbers("Show Season 1 Episode 2", 1, 2);
  }

  @Test
  void seasonWordsInLanguagesAndNumeralsAndChinese() {
    assertNumbers("Show Saison Deux", 2, null);
    assertNumbers("Show Season IV", 4, null);
    assertNumbers("庆余年 第2季 第05集", 2, 5);
    assertNumbers("Show 第十二话", null, 12);
  }

  @Test
  void aDashedNumberIsAnEpisodeAbsoluteInAnimeAndSplitOtherwise() {
    assertNumbers("[Group] Show - 15 [1080p]", null, 15);
    assertNumbers("Show - 102 - Title", 1, 2);
    assertNumbers("Show - 2019 - Title", null, null);
  }

  @Test
  void anExtraGivesTheEpisodeOfASeasonWithout() {
    assertNumbers("Show.S02.x05.Title", 2, 5);
    assertNumbers("Show.x05.Title", null, null);
  }

  @Test
  void aDateMarksTheNameAsDated() {
    Findings found = find("The.Daily.Show.2015.07.22.Guest");
    assertThat(found.dated()).isTrue();
    assertThat(found.markers().list()).extracting(Marker::kind).containsExactly(Kind.DATE);
  }

  @Test
  void theFirstEpisodeMarkerIsRemembered() {
    assertThat(find("Show.S01E02.Title.Part.2").firstEpisodeMarker()).isEqualTo("Show.".length());
    assertThat(find("Movie.2019").firstEpisodeMarker()).isEqualTo(Integer.MAX_VALUE);
  }
}
