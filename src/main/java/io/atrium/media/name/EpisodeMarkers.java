package io.atrium.media.name;

import io.atrium.media.name.Marker.Kind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Season and episode detection: dates, then season and episode markers from the most explicit notation
 * ("S01E02", "1x02") to the loosest ("- 02"). The order is part of the rules: each pattern skips text that an
 * earlier one consumed, and the first marker to give the season (or the episode) keeps it.
 */
final class EpisodeMarkers {
  private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String B = "(?<![\\p{L}\\p{N}])";
  private static final String E = "(?![\\p{L}\\p{N}])";

  static final Pattern EPISODE_WORD = Pattern.compile(B + "(?:episodes?|episodio|ep|epi|e)[ ._]{0,2}"
      + "(\\d{1,4})(?:v\\d{1,2})?(?!\\d)", CI);
  static final Pattern CJK_EPISODE = Pattern.compile("第\\s*(\\d{1,4}|[一二三四五六七八九十百]+)\\s*[集话話回]");

  private static final Pattern DATE_YMD = Pattern.compile("(?<!\\d)((?:19|20)\\d\\d)[-._ ](\\d\\d)[-._ ](\\d\\d)(?!\\d)");
  private static final Pattern DATE_DMY = Pattern.compile("(?<!\\d)(\\d\\d)[-._](\\d\\d)[-._]((?:19|20)\\d\\d)(?!\\d)");
  private static final Pattern DATE_COMPACT = Pattern.compile("(?<!\\d)(?:19|20)\\d\\d(?:0[1-9]|1[0-2])"
      + "(?:0[1-9]|[12]\\d|3[01])(?!\\d)");
  private static final Pattern RESOLUTION = Pattern.compile("(?<!\\d)\\d{3,4}\\s?[x*×]\\s?\\d{3,4}(?!\\d)", CI);
  private static final Pattern SXXEXX = Pattern.compile(B + "s(\\d{1,4})(?:[ ._-]{0,3}x?|x)ep?(\\d{1,4})(?!\\d)", CI);
  private static final Pattern NXNN = Pattern.compile(B + "(\\d{1,2}|(?:19|20)\\d\\d)x(\\d{1,3})(?!\\d)", CI);
  private static final Pattern NXALL = Pattern.compile(B + "(\\d{1,2})xall" + E, CI);
  private static final Pattern CAP = Pattern.compile("(?<!\\p{L})cap[ ._]?(\\d{3,4})(?:[_-]\\d{3,4})?(?!\\d)", CI);
  private static final Pattern SEASON_WORD = Pattern.compile(B + "(?:seasons?|saison|temporada|temp|tem|stagione"
      + "|seizoen|staffel|series)[ ._-]*(\\d{1,2}|[ivx]{1,5}|" + Numbers.WORDS + ")(?:of\\d{1,2})?" + E, CI);
  private static final Pattern CJK_SEASON = Pattern.compile("第\\s*(\\d{1,3}|[一二三四五六七八九十]+)\\s*季");
  private static final Pattern SEASON_ONLY = Pattern.compile(B + "s(\\d{1,2})(?!\\d)(?![ ._-]{0,3}x?e\\d)", CI);
  private static final Pattern N_OF_M = Pattern.compile(B + "(\\d{1,3})[ ._]?of[ ._]?\\d{1,3}(?!\\d)", CI);
  private static final Pattern DASH_NUMBER = Pattern.compile("(?<=[ ._])-[ ._-]*(\\d{1,4})(?:v\\d{1,2})?"
      + "(-\\d{1,4})?(?=$|[ ._\\[(~])");
  private static final Pattern SHORT_DATE = Pattern.compile("(?<!\\d)\\d\\d([.-])\\d\\d\\1\\d\\d(?!\\d|[.-]\\d)");
  private static final Pattern EXTRA = Pattern.compile("(?<=[ ._-])x(\\d{1,2})(?=[ ._-]|$)", CI);

  private EpisodeMarkers() {
  }

  static Findings find(Zone zone) {
    String text = zone.text();
    return Findings.NONE
        .scan(DATE_YMD, text, (f, m) -> validDate(m.group(1), m.group(2), m.group(3)) ? f.withDate(m) : f)
        .scan(DATE_DMY, text, (f, m) -> validDate(m.group(3), m.group(2), m.group(1))
            || validDate(m.group(3), m.group(1), m.group(2)) ? f.withDate(m) : f)
        .scan(DATE_COMPACT, text, (f, m) -> f.withDate(m))
        // between the dates and the episode markers: a resolution yields to a date only
        .scan(RESOLUTION, text, (f, m) -> f.marked(m, Kind.STOP))
        .scan(SXXEXX, text, (f, m) -> f.episodeMarker(m, number(m, 1), number(m, 2)))
        .scan(NXNN, text, (f, m) -> f.episodeMarker(m, number(m, 1), number(m, 2)))
        .scan(NXALL, text, (f, m) -> f.episodeMarker(m, number(m, 1), null))
        .scan(CAP, text, (f, m) -> f.episodeMarker(m, number(m, 1) / 100, number(m, 1) % 100))
        .scan(SEASON_WORD, text, (f, m) -> f.episodeMarker(m, Numbers.season(m.group(1)), null))
        .scan(CJK_SEASON, text, (f, m) -> f.episodeMarker(m, Numbers.chinese(m.group(1)), null))
        .scan(SEASON_ONLY, text, (f, m) -> f.episodeMarker(m, number(m, 1), null))
        .scan(EPISODE_WORD, text, (f, m) -> f.episodeMarker(m, null, number(m, 1)))
        .scan(CJK_EPISODE, text, (f, m) -> f.episodeMarker(m, null, Numbers.chinese(m.group(1))))
        .scan(N_OF_M, text, (f, m) -> f.episodeMarker(m, null, number(m, 1)))
        .scan(DASH_NUMBER, text, (f, m) -> dashNumber(zone, f, m))
        .scan(SHORT_DATE, text, (f, m) -> f.marked(m, Kind.NUMBER))
        .scan(EXTRA, text, EpisodeMarkers::extra);
  }

  private static int number(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }

  private static boolean validDate(String year, String month, String day) {
    int mm = Integer.parseInt(month);
    int dd = Integer.parseInt(day);
    return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31 && !year.isEmpty();
  }

  /** "Show - 02", "Show - 01-02 [720p]": only while no episode is known, and never a year. */
  private static Findings dashNumber(Zone zone, Findings found, Matcher m) {
    String digits = m.group(1);
    if (Numbers.isYear(digits) || found.episode() != null) {
      return found;
    }
    boolean absolute = zone.anime() || m.group(2) != null || zone.bracketFollows(m.end());
    Numbers.Episode numbered = Numbers.Episode.of(digits, absolute);
    return found.episodeMarker(m, numbered.season(), numbered.episode());
  }

  /** An extra ("Show.S02.x05") numbers the episode of a season that has none yet; it ends the title anyway. */
  private static Findings extra(Findings found, Matcher m) {
    Findings marked = found.marked(m, Kind.STOP);
    return found.season() != null && found.episode() == null ? marked.withEpisode(number(m, 1)) : marked;
  }
}
