package io.atrium.media.name;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An episode number that opens the title ("01 - Pilot", "102. Title"), or that is all there is ("Season 2/03.mkv").
 * Only when no marker gave the episode; a year there is the title's ("1917 - ...").
 */
final class LeadingNumber {
  private static final Pattern ONLY_NUMBER = Pattern.compile("^(\\d{1,3})(?:v\\d)?[ ._-]*$");
  private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d{2,4})(?:-\\d{2,4})?(?:\\.[ _]+|[ ._]*-+[ ._]*)"
      + "(?=\\p{L})");
  /** Anime names may leave out the dash: "[Group] 12 Title". */
  private static final Pattern LEADING_NUMBER_SPACE = Pattern.compile("^(\\d{2,4})(?:v\\d)?[ _]+(?=\\p{L})");

  private LeadingNumber() {
  }

  static Findings read(Zone zone, int titleStart, Findings found) {
    if (found.episode() != null) {
      return found;
    }
    String rest = zone.text().substring(titleStart);
    Matcher only = ONLY_NUMBER.matcher(rest);
    if (only.matches()) {
      return found.marked(titleStart, zone.length(), Marker.Kind.EPISODE).withEpisode(Integer.parseInt(only.group(1)));
    }
    Matcher m = LEADING_NUMBER.matcher(rest);
    if (!m.find() && !(zone.anime() && (m = LEADING_NUMBER_SPACE.matcher(rest)).find())) {
      return found;
    }
    int start = titleStart + m.start();
    int end = titleStart + m.end();
    if (Numbers.isYear(m.group(1)) || found.markers().overlaps(start, end)) {
      return found;
    }
    Numbers.Episode numbered = Numbers.Episode.of(m.group(1), true);
    return found.episodeMarker(start, end, numbered.season(), numbered.episode());
  }
}
