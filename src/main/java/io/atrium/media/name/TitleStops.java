package io.atrium.media.name;

import io.atrium.media.name.Marker.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What ends a title without saying anything else: "Part 2", a film number ("f21"), a range ("01-12"), a spaced or
 * doubled dash and every opening bracket. Found after the episode markers and yielding to them.
 */
final class TitleStops {
  private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern PART = Pattern.compile("(?<![\\p{L}\\p{N}])part[ ._]?(?:\\d{1,2}|[ivx]{1,4})"
      + "(?![\\p{L}\\p{N}])", CI);
  private static final Pattern FILM = Pattern.compile("(?<=[ ._-])f\\d{1,3}(?=[ ._-])", CI);
  private static final Pattern RANGE = Pattern.compile("(?<=[ ._])\\d{2,4}-\\d{2,4}(?=[ ._]|$)");
  private static final Pattern DASH = Pattern.compile("(?<=[ ._])-+(?=[ ._])|-{2,}");
  private static final String OPENING_BRACKETS = "([{【（";

  private TitleStops() {
  }

  static Findings find(String zone, Findings found) {
    Findings stopped = found
        .scan(PART, zone, (f, m) -> f.marked(m, Kind.STOP))
        .scan(FILM, zone, (f, m) -> f.marked(m, Kind.FILM))
        .scan(RANGE, zone, (f, m) -> f.marked(m, Kind.RANGE))
        .scan(DASH, zone, (f, m) -> f.marked(m, Kind.DASH));
    List<Marker> brackets = new ArrayList<>();
    for (int i = 0; i < zone.length(); i++) {
      if (OPENING_BRACKETS.indexOf(zone.charAt(i)) >= 0) {
        brackets.add(new Marker(i, i + 1, Kind.STOP));
      }
    }
    return stopped.withMarkers(stopped.markers().withAll(brackets));
  }
}
