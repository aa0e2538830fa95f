package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.media.name.Marker.Kind;
import org.junit.jupiter.api.Test;

class TitleStopsTest {

  private static Markers stops(String zone) {
    return TitleStops.find(zone, Findings.NONE).markers();
  }

  @Test
  void partsFilmNumbersRangesDashesAndBracketsEndATitle() {
    assertThat(stops("Title Part 2").list()).containsExactly(new Marker(6, 12, Kind.STOP));
    assertThat(stops("Bond-f21-Casino").list()).containsExactly(new Marker(5, 8, Kind.FILM));
    assertThat(stops("Show 01-12 x").list()).containsExactly(new Marker(5, 10, Kind.RANGE));
    assertThat(stops("Show - Title").list()).containsExactly(new Marker(5, 6, Kind.DASH));
    assertThat(stops("Show (US)").list()).containsExactly(new Marker(5, 6, Kind.STOP));
  }

  @Test
  void aDashInsideAWordIsNoStop() {
    assertThat(stops("Spider-Man").list()).isEmpty();
  }

  @Test
  void stopsYieldToEpisodeMarkers() {
    Findings found = EpisodeMarkers.find(Zone.of("Show Season 2"));
    assertThat(TitleStops.find("Show Season 2", found).markers().list()).extracting(Marker::kind)
        .containsExactly(Kind.EPISODE);
  }
}
