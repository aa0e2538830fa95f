package io.atrium.media.name;

import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the stages after tokenising have found, handed from one to the next: the markers and the numbers they read.
 *
 * @param firstEpisodeMarker where the first season or episode marker starts ({@code Integer.MAX_VALUE}: none)
 */
record Findings(Markers markers, Integer season, Integer episode, Integer year, boolean dated, int firstEpisodeMarker) {
  static final Findings NONE = new Findings(Markers.NONE, null, null, null, false, Integer.MAX_VALUE);

  /** Each match of a pattern in the zone that no consuming marker already covers, handed to a step in turn. */
  Findings scan(Pattern pattern, String zone, BiFunction<Findings, Matcher, Findings> step) {
    Findings found = this;
    Matcher m = pattern.matcher(zone);
    while (m.find()) {
      if (!found.markers().overlaps(m.start(), m.end())) {
        found = step.apply(found, m);
      }
    }
    return found;
  }

  Findings marked(int start, int end, Marker.Kind kind) {
    return withMarkers(markers.with(new Marker(start, end, kind)));
  }

  Findings marked(Matcher m, Marker.Kind kind) {
    return marked(m.start(), m.end(), kind);
  }

  Findings withMarkers(Markers more) {
    return new Findings(more, season, episode, year, dated, firstEpisodeMarker);
  }

  /** A season or episode marker: the first marker to give the season keeps it, and likewise the episode. */
  Findings episodeMarker(int start, int end, Integer seasonNumber, Integer episodeNumber) {
    return new Findings(markers.with(new Marker(start, end, Marker.Kind.EPISODE)),
        season == null ? seasonNumber : season, episode == null ? episodeNumber : episode, year, dated,
        Math.min(firstEpisodeMarker, start));
  }

  Findings episodeMarker(Matcher m, Integer seasonNumber, Integer episodeNumber) {
    return episodeMarker(m.start(), m.end(), seasonNumber, episodeNumber);
  }

  Findings withNumbers(Integer seasonNumber, Integer episodeNumber) {
    return new Findings(markers, seasonNumber, episodeNumber, year, dated, firstEpisodeMarker);
  }

  Findings withEpisode(Integer episodeNumber) {
    return withNumbers(season, episodeNumber);
  }

  Findings withYear(int value) {
    return new Findings(markers, season, episode, value, dated, firstEpisodeMarker);
  }

  Findings withDate(Matcher m) {
    return new Findings(markers.with(new Marker(m.start(), m.end(), Marker.Kind.DATE)), season, episode, year, true,
        firstEpisodeMarker);
  }
}
