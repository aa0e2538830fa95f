package io.atrium.media.name;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number after the title ("Show.Name.10.720p", "[Group] Show 13", "new.girl.117") when no marker gave the
 * episode: the last of a run of numbers, before any strong tag or stop, not after a date, and not followed by a
 * year (then it belongs to the title: "Apollo 13 1995"). It gives the season too, replacing one read before
 * ("Show.S02.10.720p" has none: a known quirk, kept for now).
 */
final class BareNumber {
  private static final Pattern NUMBER = Pattern.compile("(\\d{2,4})(?:v\\d{1,2})?");

  private BareNumber() {
  }

  static Findings read(Zone zone, Tokens tokens, int titleStart, Findings found) {
    if (found.episode() != null) {
      return found;
    }
    Markers markers = found.markers();
    List<Tokens.Token> list = tokens.list();
    int first = tokens.firstStart(titleStart);
    for (int t = 0; t < list.size(); t++) {
      Tokens.Token token = list.get(t);
      if (token.strong()) {
        return found;
      }
      if (token.start() <= first) {
        continue;
      }
      if (markers.startsAt(token.start(), Marker.Kind.STOP) || markers.dateEndsBy(token.start())) {
        return found;
      }
      Matcher m = NUMBER.matcher(token.text());
      if (!m.matches() || Numbers.isYear(m.group(1)) || markers.overlaps(token.start(), token.end())
          || markers.startsAt(token.start(), Marker.Kind.YEAR)) {
        continue;
      }
      if (t + 1 < list.size() && numberFollows(zone.text(), token, list.get(t + 1))) {
        Tokens.Token next = list.get(t + 1);
        if (Numbers.isYear(next.text()) && !markers.startsAt(next.start(), Marker.Kind.YEAR)) {
          return found;
        }
        continue;
      }
      boolean absolute = zone.anime() || zone.bracketFollows(token.end());
      Numbers.Episode numbered = Numbers.Episode.of(m.group(1), absolute);
      return found.marked(token.start(), token.end(), Marker.Kind.NUMBER)
          .withNumbers(numbered.season(), numbered.episode());
    }
    return found;
  }

  private static boolean numberFollows(String zone, Tokens.Token token, Tokens.Token next) {
    return next.text().matches("\\d{2,4}") && zone.substring(token.end(), next.start()).matches("[ ._]+");
  }
}
