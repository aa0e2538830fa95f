package io.atrium.media.name;

import io.atrium.text.TitleText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release year: a year in brackets wins; of two years in a row the second (the first is the title's:
 * "Blade Runner 2049 2017"); otherwise the first. A year that starts the title is the title ("2012.2009").
 * After an episode marker only a year in brackets or before release tags counts (not one in an episode title).
 */
final class ReleaseYear {
  private static final Pattern YEAR = Pattern.compile("(?<![\\p{L}\\p{N}])(19\\d\\d|20\\d\\d)(?![\\p{L}\\p{N}])");

  private record Candidate(int start, int end, boolean bracketed) {
  }

  private ReleaseYear() {
  }

  static Findings choose(String zone, Tokens tokens, int titleStart, Findings found) {
    List<Candidate> candidates = candidates(zone, tokens, titleStart, found);
    if (candidates.isEmpty()) {
      return found;
    }
    Candidate chosen = candidates.stream().filter(Candidate::bracketed).findFirst().orElse(candidates.get(0));
    if (!chosen.bracketed() && candidates.size() > 1) {
      Candidate next = candidates.get(1);
      if (zone.substring(chosen.end(), next.start()).matches("[ ._-]+")) {
        chosen = next;
      }
    }
    return found.marked(chosen.start(), chosen.end(), Marker.Kind.YEAR)
        .withYear(Integer.parseInt(zone.substring(chosen.start(), chosen.end())));
  }

  private static List<Candidate> candidates(String zone, Tokens tokens, int titleStart, Findings found) {
    List<Candidate> candidates = new ArrayList<>();
    int titleBegins = tokens.firstStart(titleStart);
    Matcher m = YEAR.matcher(zone);
    while (m.find()) {
      if (found.markers().overlaps(m.start(), m.end()) || m.start() == titleBegins
          || found.markers().insideStop(m.start())) {
        continue;
      }
      boolean bracketed = m.start() > 0 && "([【".indexOf(zone.charAt(m.start() - 1)) >= 0
          && m.end() < zone.length() && ")]】".indexOf(zone.charAt(m.end())) >= 0;
      if (m.start() > found.firstEpisodeMarker() && !bracketed && !beforeTagsOrEnd(zone, tokens, m.end())) {
        continue;
      }
      candidates.add(new Candidate(m.start(), m.end(), bracketed));
    }
    return candidates;
  }

  private static boolean beforeTagsOrEnd(String zone, Tokens tokens, int end) {
    if (end >= zone.length() || !TitleText.hasAlnum(zone.substring(end))) {
      return true;
    }
    for (Tokens.Token token : tokens.list()) {
      if (token.start() >= end) {
        return token.tag() && zone.substring(end, token.start()).matches("[ ._-]+");
      }
    }
    return false;
  }
}
