package io.atrium.media;

import io.atrium.text.TitleText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one path segment (a file name without its extension, or a folder name). Episode and season markers,
 * dates, a year and release tags are found first; the title is what comes before the first of them, or what
 * follows a marker the name starts with ("01 - Title").
 */
final class NameParser {
  private static final Pattern BLOCK_NUMBER = Pattern.compile("(\\d{1,4})(?:v\\d)?");
  private static final Pattern BRACKET_BLOCK = Pattern.compile("[\\[【]([^\\]】]*)[\\]】]");

  /** What one segment says. */
  record Parsed(String title, Integer year, Integer season, Integer episode, boolean dated,
      boolean titleAfterMarker, int strongTags) {
    boolean saysEpisode() {
      return season != null || episode != null || dated;
    }
  }

  /** Markers of the first four kinds consume their text; the others only end a title. */
  private enum Kind {
    EPISODE, DATE, YEAR, NUMBER, RANGE, FILM, DASH, STOP;

    boolean consumes() {
      return ordinal() <= NUMBER.ordinal();
    }
  }

  private record Marker(int start, int end, Kind kind) {
  }

  private record Token(int start, int end, String text) {
  }

  private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String B = "(?<![\\p{L}\\p{N}])";
  private static final String E = "(?![\\p{L}\\p{N}])";

  private static final Pattern LEADING_BRACKET = Pattern.compile("^[\\s._~-]*(?:\\[[^\\]]*]|【[^】]*】)");
  private static final Pattern LEADING_PAREN = Pattern.compile("^[\\s._~-]*\\(([^)]*)\\)");
  private static final Pattern LEADING_SITE = Pattern.compile("^www\\.[\\w-]+\\.[a-z]{2,4}[\\s._-]+", CI);

  private static final Pattern SXXEXX = Pattern.compile(B + "s(\\d{1,4})(?:[ ._-]{0,3}x?|x)ep?(\\d{1,4})(?!\\d)", CI);
  private static final Pattern NXNN = Pattern.compile(B + "(\\d{1,2}|(?:19|20)\\d\\d)x(\\d{1,3})(?!\\d)", CI);
  private static final Pattern NXALL = Pattern.compile(B + "(\\d{1,2})xall" + E, CI);
  private static final Pattern CAP = Pattern.compile("(?<!\\p{L})cap[ ._]?(\\d{3,4})(?:[_-]\\d{3,4})?(?!\\d)", CI);
  private static final String NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|un|deux|trois|quatre"
      + "|cinq|sept|huit|neuf|dix";
  private static final Pattern SEASON_WORD = Pattern.compile(B + "(?:seasons?|saison|temporada|temp|tem|stagione"
      + "|seizoen|staffel|series)[ ._-]*(\\d{1,2}|[ivx]{1,5}|" + NUMBER_WORDS + ")(?:of\\d{1,2})?" + E, CI);
  private static final Pattern SEASON_ONLY = Pattern.compile(B + "s(\\d{1,2})(?!\\d)(?![ ._-]{0,3}x?e\\d)", CI);
  private static final Pattern CJK_SEASON = Pattern.compile("第\\s*(\\d{1,3}|[一二三四五六七八九十]+)\\s*季");
  private static final Pattern EPISODE_WORD = Pattern.compile(B + "(?:episodes?|episodio|ep|epi|e)[ ._]{0,2}"
      + "(\\d{1,4})(?:v\\d{1,2})?(?!\\d)", CI);
  private static final Pattern CJK_EPISODE = Pattern.compile("第\\s*(\\d{1,4}|[一二三四五六七八九十百]+)\\s*[集话話回]");
  private static final Pattern N_OF_M = Pattern.compile(B + "(\\d{1,3})[ ._]?of[ ._]?\\d{1,3}(?!\\d)", CI);
  private static final Pattern DASH_NUMBER = Pattern.compile("(?<=[ ._])-[ ._-]*(\\d{1,4})(?:v\\d{1,2})?"
      + "(-\\d{1,4})?(?=$|[ ._\\[(~])");
  private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d{2,4})(?:-\\d{2,4})?(?:\\.[ _]+|[ ._]*-+[ ._]*)"
      + "(?=\\p{L})");
  private static final Pattern ONLY_NUMBER = Pattern.compile("^(\\d{1,3})(?:v\\d)?[ ._-]*$");
  private static final Pattern LEADING_NUMBER_SPACE = Pattern.compile("^(\\d{2,4})(?:v\\d)?[ _]+(?=\\p{L})");
  private static final Pattern EXTRA = Pattern.compile("(?<=[ ._-])x(\\d{1,2})(?=[ ._-]|$)", CI);
  private static final Pattern FILM = Pattern.compile("(?<=[ ._-])f\\d{1,3}(?=[ ._-])", CI);
  private static final Pattern RANGE = Pattern.compile("(?<=[ ._])\\d{2,4}-\\d{2,4}(?=[ ._]|$)");
  private static final Pattern SHORT_DATE = Pattern.compile("(?<!\\d)\\d\\d([.-])\\d\\d\\1\\d\\d(?!\\d|[.-]\\d)");
  private static final Pattern PART = Pattern.compile(B + "part[ ._]?(?:\\d{1,2}|[ivx]{1,4})" + E, CI);
  private static final Pattern RESOLUTION = Pattern.compile("(?<!\\d)\\d{3,4}\\s?[x*×]\\s?\\d{3,4}(?!\\d)", CI);
  private static final Pattern DATE_YMD = Pattern.compile("(?<!\\d)((?:19|20)\\d\\d)[-._ ](\\d\\d)[-._ ](\\d\\d)(?!\\d)");
  private static final Pattern DATE_DMY = Pattern.compile("(?<!\\d)(\\d\\d)[-._](\\d\\d)[-._]((?:19|20)\\d\\d)(?!\\d)");
  private static final Pattern DATE_COMPACT = Pattern.compile("(?<!\\d)(?:19|20)\\d\\d(?:0[1-9]|1[0-2])"
      + "(?:0[1-9]|[12]\\d|3[01])(?!\\d)");
  private static final Pattern DASH = Pattern.compile("(?<=[ ._])-+(?=[ ._])|-{2,}");
  private static final Pattern YEAR = Pattern.compile(B + "(19\\d\\d|20\\d\\d)" + E);
  private static final Pattern BARE_NUMBER = Pattern.compile("(\\d{2,4})(?:v\\d{1,2})?");
  private static final Pattern ANIME = Pattern.compile("[\\[(][0-9a-f]{8}[\\])]|" + B + "(?:vostfr|vosta|fansub|raws?)"
      + E, CI);
  private static final Map<String, Integer> WORD_NUMBERS = Map.ofEntries(Map.entry("one", 1), Map.entry("un", 1),
      Map.entry("two", 2), Map.entry("deux", 2), Map.entry("three", 3), Map.entry("trois", 3), Map.entry("four", 4),
      Map.entry("quatre", 4), Map.entry("five", 5), Map.entry("cinq", 5), Map.entry("six", 6), Map.entry("seven", 7),
      Map.entry("sept", 7), Map.entry("eight", 8), Map.entry("huit", 8), Map.entry("nine", 9), Map.entry("neuf", 9),
      Map.entry("ten", 10), Map.entry("dix", 10));

  private final String name;
  private final String zone;
  private final boolean anime;
  private final List<Marker> markers = new ArrayList<>();
  private final List<Token> tokens = new ArrayList<>();
  private final List<Boolean> tagTokens = new ArrayList<>();
  private final List<Boolean> strongTokens = new ArrayList<>();
  private Integer season;
  private Integer episode;
  private Integer year;
  private boolean dated;
  private int firstEpisodeMarker = Integer.MAX_VALUE;

  private NameParser(String name) {
    this.name = name;
    String rest = name;
    boolean group = false;
    boolean stripped = false;
    while (true) {
      Matcher bracket = LEADING_BRACKET.matcher(rest);
      Matcher paren = LEADING_PAREN.matcher(rest);
      int end;
      if (bracket.find()) {
        end = bracket.end();
      } else if (paren.find() && (paren.group(1).matches("\\d+") || allTags(paren.group(1)))) {
        end = paren.end();
      } else {
        break;
      }
      if (!TitleText.hasAlnum(rest.substring(end))) {
        break;
      }
      group |= bracket.find(0);
      stripped = true;
      rest = rest.substring(end);
    }
    if (stripped && rest.matches("[\\s._-]*(?:\\[[^\\]]*]|【[^】]*】)[\\s._-]*")) {
      // the last of several blocks ("[Group][Title][01][1080P]"): read as blocks, see bracketTitle()
      rest = "";
    }
    Matcher site = LEADING_SITE.matcher(rest);
    if (site.find()) {
      rest = rest.substring(site.end());
    }
    this.zone = rest;
    this.anime = group || ANIME.matcher(name).find();
  }

  static Parsed parse(String name) {
    return new NameParser(name).run();
  }

  private Parsed run() {
    tokenize();
    findMarkers();
    markTags();
    int titleStart = titleStart(0);
    leadingNumber(titleStart);
    chooseYear(titleStart);
    if (episode == null) {
      findBareNumber(titleStart);
    }
    TitleSpan span = titleSpan(titleStart);
    String title = span == null ? null : TitleText.cleanTitle(zone.substring(span.start, span.end));
    if (title == null) {
      title = bracketTitle();
    }
    int strong = (int) strongTokens.stream().filter(b -> b).count();
    return new Parsed(title, year, season, episode, dated, span != null && span.afterMarker, strong);
  }

  private record TitleSpan(int start, int end, boolean afterMarker) {
  }

  // ---------------------------------------------------------------- tokens and tags

  private void tokenize() {
    splitTokens();
    for (int t = 0; t < tokens.size(); t++) {
      tagTokens.add(false);
      strongTokens.add(false);
    }
    for (int t = 0; t < tokens.size(); t++) {
      String text = tokens.get(t).text();
      if (ReleaseTags.strong(text)) {
        strongTokens.set(t, true);
      } else if (t + 1 < tokens.size() && adjacent(t) && ReleaseTags.strongPair(text, tokens.get(t + 1).text())) {
        strongTokens.set(t, true);
        strongTokens.set(t + 1, true);
      }
    }
  }

  private void markTags() {
    for (int t = tokens.size() - 1; t >= 0; t--) {
      tagTokens.set(t, strongTokens.get(t) || weakChainEnds(t));
    }
  }

  private void splitTokens() {
    int i = 0;
    while (i < zone.length()) {
      int cp = zone.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        int start = i;
        while (i < zone.length() && Character.isLetterOrDigit(zone.codePointAt(i))) {
          i += Character.charCount(zone.codePointAt(i));
        }
        tokens.add(new Token(start, i, zone.substring(start, i)));
      } else {
        i += Character.charCount(cp);
      }
    }
  }

  /** Two tokens separated by one separator character, as in "WEB-DL" or "H.264". */
  private boolean adjacent(int t) {
    int gap = tokens.get(t + 1).start() - tokens.get(t).end();
    return gap == 1 && " ._-".indexOf(zone.charAt(tokens.get(t).end())) >= 0;
  }

  /** A weak tag is a tag when weak tags lead from it to a strong tag (or a year, after a language word). */
  private boolean weakChainEnds(int t) {
    if (!ReleaseTags.weak(tokens.get(t).text())) {
      return false;
    }
    boolean language = false;
    int length = 0;
    for (int u = t; u < tokens.size(); u++) {
      String text = tokens.get(u).text();
      if (strongTokens.get(u)) {
        return true;
      }
      if (u > t && (isYear(text) && language || opensBracketBefore(u))) {
        return true;
      }
      if (!ReleaseTags.weak(text)) {
        return false;
      }
      language |= ReleaseTags.language(text);
      length++;
    }
    return length >= 2;
  }

  private boolean opensBracketBefore(int u) {
    for (int i = tokens.get(u - 1).end(); i < tokens.get(u).start(); i++) {
      if ("([{【（".indexOf(zone.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean isYear(String text) {
    return text.length() == 4 && (text.startsWith("19") || text.startsWith("20")) && text.chars().allMatch(Character::isDigit);
  }

  private static boolean allTags(String text) {
    String[] words = text.split("[^\\p{L}\\p{N}]+");
    int tags = 0;
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      if (!ReleaseTags.strong(word) && !ReleaseTags.weak(word)) {
        return false;
      }
      tags++;
    }
    return tags > 0;
  }

  // ---------------------------------------------------------------- markers

  private void findMarkers() {
    each(DATE_YMD, m -> date(m, validDate(m.group(1), m.group(2), m.group(3))));
    each(DATE_DMY, m -> date(m, validDate(m.group(3), m.group(2), m.group(1)) || validDate(m.group(3), m.group(1), m.group(2))));
    each(DATE_COMPACT, m -> date(m, true));
    each(RESOLUTION, m -> mark(m, Kind.STOP));
    each(SXXEXX, m -> episodeMarker(m, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    each(NXNN, m -> episodeMarker(m, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    each(NXALL, m -> episodeMarker(m, Integer.parseInt(m.group(1)), null));
    each(CAP, m -> {
      int number = Integer.parseInt(m.group(1));
      episodeMarker(m, number / 100, number % 100);
    });
    each(SEASON_WORD, m -> episodeMarker(m, seasonNumber(m.group(1)), null));
    each(CJK_SEASON, m -> episodeMarker(m, chineseNumber(m.group(1)), null));
    each(SEASON_ONLY, m -> episodeMarker(m, Integer.parseInt(m.group(1)), null));
    each(EPISODE_WORD, m -> episodeMarker(m, null, Integer.parseInt(m.group(1))));
    each(CJK_EPISODE, m -> episodeMarker(m, null, chineseNumber(m.group(1))));
    each(N_OF_M, m -> episodeMarker(m, null, Integer.parseInt(m.group(1))));
    each(DASH_NUMBER, m -> {
      String digits = m.group(1);
      if (!isYear(digits) && episode == null) {
        numberedEpisode(m, digits, m.group(2) != null || followedByBracket(m.end()));
      }
    });
    each(SHORT_DATE, m -> mark(m, Kind.NUMBER));
    each(EXTRA, m -> {
      mark(m, Kind.STOP);
      if (season != null && episode == null) {
        episode = Integer.parseInt(m.group(1));
      }
    });
    each(PART, m -> mark(m, Kind.STOP));
    each(FILM, m -> mark(m, Kind.FILM));
    each(RANGE, m -> mark(m, Kind.RANGE));
    each(DASH, m -> markers.add(new Marker(m.start(), m.end(), Kind.DASH)));
    for (int i = 0; i < zone.length(); i++) {
      if ("([{【（".indexOf(zone.charAt(i)) >= 0) {
        markers.add(new Marker(i, i + 1, Kind.STOP));
      }
    }
  }

  private void leadingNumber(int titleStart) {
    if (episode != null) {
      return;
    }
    String rest = zone.substring(titleStart);
    Matcher only = ONLY_NUMBER.matcher(rest);
    if (only.matches()) {
      // "Show Name/Season 2/03.mkv": a file named by its episode number alone
      markers.add(new Marker(titleStart, zone.length(), Kind.EPISODE));
      episode = Integer.parseInt(only.group(1));
      return;
    }
    Matcher m = LEADING_NUMBER.matcher(rest);
    if (!m.find() && !(anime && (m = LEADING_NUMBER_SPACE.matcher(rest)).find())) {
      return;
    }
    if (isYear(m.group(1))) {
      return;
    }
    int start = titleStart + m.start();
    int end = titleStart + m.end();
    if (overlaps(start, end)) {
      return;
    }
    int[] numbers = episodeNumbers(m.group(1), true);
    markers.add(new Marker(start, end, Kind.EPISODE));
    firstEpisodeMarker = Math.min(firstEpisodeMarker, start);
    season = season == null ? box(numbers[0]) : season;
    episode = box(numbers[1]);
  }

  private void date(Matcher m, boolean valid) {
    if (valid) {
      mark(m, Kind.DATE);
      dated = true;
    }
  }

  private static boolean validDate(String year, String month, String day) {
    int mm = Integer.parseInt(month);
    int dd = Integer.parseInt(day);
    return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31 && !year.isEmpty();
  }

  private void episodeMarker(Matcher m, Integer seasonNumber, Integer episodeNumber) {
    mark(m, Kind.EPISODE);
    firstEpisodeMarker = Math.min(firstEpisodeMarker, m.start());
    if (season == null && seasonNumber != null) {
      season = seasonNumber;
    }
    if (episode == null && episodeNumber != null) {
      episode = episodeNumber;
    }
  }

  private void numberedEpisode(Matcher m, String digits, boolean bracketAfter) {
    int[] numbers = episodeNumbers(digits, bracketAfter);
    mark(m, Kind.EPISODE);
    firstEpisodeMarker = Math.min(firstEpisodeMarker, m.start());
    if (season == null && numbers[0] >= 0) {
      season = numbers[0];
    }
    episode = numbers[1];
  }

  /**
   * A bare number is an absolute episode (anime) unless it reads as season and episode: "102" is S01E02 and
   * "0307" S03E07, except in anime-style names (a leading [Group], a CRC, a bracket right after the number) and
   * zero-padded three-digit numbers ("003").
   */
  private int[] episodeNumbers(String digits, boolean bracketAfter) {
    int value = Integer.parseInt(digits);
    boolean absolute = anime || bracketAfter;
    if (digits.length() == 3 && digits.charAt(0) != '0' && !absolute) {
      return new int[] {value / 100, value % 100};
    }
    if (digits.length() == 4 && digits.charAt(0) == '0') {
      return new int[] {value / 100, value % 100};
    }
    return new int[] {-1, value};
  }

  private static Integer box(int value) {
    return value < 0 ? null : value;
  }

  private boolean followedByBracket(int end) {
    int i = end;
    while (i < zone.length() && " ._".indexOf(zone.charAt(i)) >= 0) {
      i++;
    }
    return i < zone.length() && (zone.charAt(i) == '[' || zone.charAt(i) == '【');
  }

  private void each(Pattern pattern, Consumer<Matcher> action) {
    Matcher m = pattern.matcher(zone);
    while (m.find()) {
      if (!overlaps(m.start(), m.end())) {
        action.accept(m);
      }
    }
  }

  private void mark(Matcher m, Kind kind) {
    markers.add(new Marker(m.start(), m.end(), kind));
  }

  private boolean overlaps(int start, int end) {
    for (Marker marker : markers) {
      if (marker.kind().consumes() && start < marker.end() && marker.start() < end) {
        return true;
      }
    }
    return false;
  }

  private static Integer seasonNumber(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (Character.isDigit(lower.charAt(0))) {
      return Integer.parseInt(lower);
    }
    Integer word = WORD_NUMBERS.get(lower);
    return word != null ? word : roman(lower);
  }

  private static Integer roman(String text) {
    int total = 0;
    int previous = 0;
    for (int i = text.length() - 1; i >= 0; i--) {
      int value = switch (text.charAt(i)) {
        case 'i' -> 1;
        case 'v' -> 5;
        case 'x' -> 10;
        default -> 0;
      };
      total += value < previous ? -value : value;
      previous = Math.max(previous, value);
    }
    return total;
  }

  private static Integer chineseNumber(String text) {
    if (Character.isDigit(text.charAt(0))) {
      return Integer.parseInt(text);
    }
    String digits = "零一二三四五六七八九";
    int total = 0;
    int current = 0;
    for (char c : text.toCharArray()) {
      if (c == '十' || c == '百') {
        total += Math.max(current, 1) * (c == '十' ? 10 : 100);
        current = 0;
      } else {
        current = digits.indexOf(c);
      }
    }
    return total + current;
  }

  // ---------------------------------------------------------------- year and bare numbers

  /**
   * The release year: a year in brackets wins; of two years in a row the second (the first is the title's:
   * "Blade Runner 2049 2017"); otherwise the first. A year that starts the title is the title ("2012.2009").
   * After an episode marker only a year in brackets or before release tags counts (not one in an episode title).
   */
  private void chooseYear(int titleStart) {
    List<int[]> candidates = new ArrayList<>();
    Matcher m = YEAR.matcher(zone);
    while (m.find()) {
      if (overlaps(m.start(), m.end()) || m.start() == firstAlnum(titleStart) || insideResolution(m.start())) {
        continue;
      }
      boolean bracketed = m.start() > 0 && "([【".indexOf(zone.charAt(m.start() - 1)) >= 0
          && m.end() < zone.length() && ")]】".indexOf(zone.charAt(m.end())) >= 0;
      if (m.start() > firstEpisodeMarker && !bracketed && !beforeTagsOrEnd(m.end())) {
        continue;
      }
      candidates.add(new int[] {m.start(), m.end(), bracketed ? 1 : 0});
    }
    if (candidates.isEmpty()) {
      return;
    }
    int[] chosen = candidates.stream().filter(c -> c[2] == 1).findFirst().orElse(candidates.get(0));
    if (chosen[2] == 0 && candidates.size() > 1) {
      int[] next = candidates.get(1);
      if (zone.substring(chosen[1], next[0]).matches("[ ._-]+")) {
        chosen = next;
      }
    }
    year = Integer.parseInt(zone.substring(chosen[0], chosen[1]));
    markers.add(new Marker(chosen[0], chosen[1], Kind.YEAR));
  }

  private boolean insideResolution(int position) {
    for (Marker marker : markers) {
      if (marker.kind() == Kind.STOP && position >= marker.start() && position < marker.end()) {
        return true;
      }
    }
    return false;
  }

  private boolean beforeTagsOrEnd(int end) {
    if (end >= zone.length() || !TitleText.hasAlnum(zone.substring(end))) {
      return true;
    }
    for (int t = 0; t < tokens.size(); t++) {
      if (tokens.get(t).start() >= end) {
        return tagTokens.get(t) && zone.substring(end, tokens.get(t).start()).matches("[ ._-]+");
      }
    }
    return false;
  }

  /**
   * A number after the title ("Show.Name.10.720p", "[Group] Show 13", "new.girl.117"): the last of a run of
   * numbers, before any release tag, and not followed by a year (then it belongs to the title: "Apollo 13 1995").
   */
  private void findBareNumber(int titleStart) {
    int first = firstAlnum(titleStart);
    for (int t = 0; t < tokens.size(); t++) {
      Token token = tokens.get(t);
      if (token.start() <= first || strongTokens.get(t)) {
        if (strongTokens.get(t)) {
          return;
        }
        continue;
      }
      if (stopsAt(token.start()) || afterDate(token.start())) {
        return;
      }
      Matcher m = BARE_NUMBER.matcher(token.text());
      if (!m.matches() || isYear(m.group(1)) || overlaps(token.start(), token.end()) || isYearMarker(token.start())) {
        continue;
      }
      if (t + 1 < tokens.size() && tokens.get(t + 1).text().matches("\\d{2,4}")
          && zone.substring(token.end(), tokens.get(t + 1).start()).matches("[ ._]+")) {
        if (isYear(tokens.get(t + 1).text()) && !isYearMarker(tokens.get(t + 1).start())) {
          return;
        }
        continue;
      }
      String digits = m.group(1);
      int[] numbers = episodeNumbers(digits, followedByBracket(token.end()));
      markers.add(new Marker(token.start(), token.end(), Kind.NUMBER));
      season = box(numbers[0]);
      episode = numbers[1];
      return;
    }
  }

  private boolean afterDate(int position) {
    return markers.stream().anyMatch(marker -> marker.kind() == Kind.DATE && marker.end() <= position);
  }

  private boolean stopsAt(int position) {
    for (Marker marker : markers) {
      if (marker.kind() == Kind.STOP && marker.start() == position) {
        return true;
      }
    }
    return false;
  }

  private boolean isYearMarker(int position) {
    return markers.stream().anyMatch(marker -> marker.kind() == Kind.YEAR && marker.start() == position);
  }

  // ---------------------------------------------------------------- title

  /** Where the title can start: past separators and strong tags that open the name ("h265 - HEVC Riddick"). */
  private int titleStart(int from) {
    int position = from;
    for (int t = 0; t < tokens.size(); t++) {
      Token token = tokens.get(t);
      if (token.start() < position) {
        continue;
      }
      if (!strongTokens.get(t) || startsMarker(token.start())) {
        return token.start();
      }
      position = token.end();
    }
    return position;
  }

  private boolean startsMarker(int position) {
    return markers.stream().anyMatch(m -> m.start() <= position && position < m.end() && m.kind().consumes());
  }

  private int firstAlnum(int from) {
    for (Token token : tokens) {
      if (token.start() >= from) {
        return token.start();
      }
    }
    return zone.length();
  }

  private TitleSpan titleSpan(int start) {
    int begin = firstAlnum(start);
    if (begin >= zone.length()) {
      return null;
    }
    Marker opening = markerAt(begin);
    if (opening != null && opening.kind().consumes() && opening.kind() != Kind.YEAR) {
      int after = firstAlnum(opening.end());
      if (after >= zone.length() || tagAt(after)) {
        return null;
      }
      int end = stop(after);
      return end > after ? new TitleSpan(after, end, true) : null;
    }
    int end = stop(begin);
    Marker dash = markerAt(end);
    if (dash != null && dash.kind() == Kind.DASH && onlyWeakTags(begin, end)) {
      return titleSpan(dash.end());
    }
    if (dash != null && dash.kind() == Kind.FILM) {
      // "James_Bond-f21-Casino_Royale": film 21 of a series; the film's own title follows
      int after = firstAlnum(dash.end());
      int filmEnd = stop(after);
      return filmEnd > after ? new TitleSpan(after, filmEnd, false) : null;
    }
    return end > begin ? new TitleSpan(begin, end, false) : null;
  }

  private boolean tagAt(int position) {
    for (int t = 0; t < tokens.size(); t++) {
      if (tokens.get(t).start() == position) {
        return tagTokens.get(t);
      }
    }
    return false;
  }

  private Marker markerAt(int position) {
    Marker found = null;
    for (Marker marker : markers) {
      if (marker.start() <= position && position < marker.end() && marker.kind().consumes()) {
        return marker;
      }
      if (marker.start() == position && found == null) {
        found = marker;
      }
    }
    return found;
  }

  /** The first stop after some title text: a marker, a bracket, a spaced dash or a tag. */
  private int stop(int begin) {
    int end = zone.length();
    for (Marker marker : markers) {
      if (marker.start() > begin && marker.start() < end) {
        end = marker.start();
      }
    }
    for (int t = 0; t < tokens.size(); t++) {
      Token token = tokens.get(t);
      if (token.start() > begin && token.start() < end && tagTokens.get(t)) {
        end = token.start();
      }
    }
    return end;
  }

  private boolean onlyWeakTags(int begin, int end) {
    boolean any = false;
    for (Token token : tokens) {
      if (token.start() >= begin && token.end() <= end) {
        if (!ReleaseTags.weak(token.text())) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  private void blockEpisode(String block) {
    if (episode != null) {
      return;
    }
    Matcher number = BLOCK_NUMBER.matcher(block);
    Matcher chinese = CJK_EPISODE.matcher(block);
    Matcher word = EPISODE_WORD.matcher(block);
    if (number.matches()) {
      episode = Integer.parseInt(number.group(1));
    } else if (chinese.find()) {
      episode = chineseNumber(chinese.group(1));
    } else if (word.matches()) {
      episode = Integer.parseInt(word.group(1));
    }
  }

  /**
   * Names made only of bracket blocks, as Chinese fansub groups write them ("[Group][进击的巨人][Shingeki no
   * Kyojin][01][1080P]"): the first block is the group, blocks of tags and numbers are skipped, and of the
   * remaining ones a Latin title is preferred.
   */
  private String bracketTitle() {
    Matcher m = BRACKET_BLOCK.matcher(name);
    List<String> candidates = new ArrayList<>();
    while (m.find()) {
      String block = m.group(1).trim();
      if (!TitleText.hasAlnum(block) || block.matches("\\d{1,4}(?:v\\d)?") || allTags(block) || TitleText.cjkTag(block)
          || block.matches("(?i)[0-9a-f]{8}") || CJK_EPISODE.matcher(block).find()
          || EPISODE_WORD.matcher(block).matches()) {
        blockEpisode(block);
        continue;
      }
      candidates.add(block);
    }
    if (candidates.size() > 1) {
      candidates.remove(0);
    }
    String latin = candidates.stream().filter(TitleText::hasLatin).findFirst().orElse(null);
    String chosen = latin != null ? latin : candidates.isEmpty() ? null : candidates.get(0);
    return chosen == null ? null : TitleText.cleanTitle(chosen);
  }
}
