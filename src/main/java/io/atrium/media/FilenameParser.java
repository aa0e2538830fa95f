package io.atrium.media;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule parser's first cut: {@code S01E02} episodes and {@code Title Year} movies, dots and underscores as spaces,
 * an explicit TMDB id kept. The full parser (release tags, anime numbering, CJK titles, folder hints, measured on
 * guessit's suite) replaces this class.
 */
public final class FilenameParser {
  private static final Pattern EPISODE = Pattern.compile("(?i)\\bs(\\d{1,3})\\s?e(\\d{1,4})");
  private static final Pattern YEAR = Pattern.compile("\\b(19\\d\\d|20\\d\\d)\\b");

  private FilenameParser() {
  }

  /** Parses a file name or a path relative to the scanned folder. Never throws; never null. */
  public static Recognition parse(String relativePath) {
    String path = relativePath == null ? "" : relativePath.replace('\\', '/');
    Long tmdbId = ExplicitIds.tmdbId(path);
    String name = ExplicitIds.strip(path.substring(path.lastIndexOf('/') + 1))
        .replaceAll("\\.[A-Za-z0-9]{2,4}$", "").replaceAll("[._\\p{Cntrl}]", " ").strip();
    Matcher episode = EPISODE.matcher(name);
    if (episode.find()) {
      return new Recognition("episode", clean(name.substring(0, episode.start())), null,
          Integer.parseInt(episode.group(1)), Integer.parseInt(episode.group(2)), tmdbId);
    }
    Matcher year = YEAR.matcher(name);
    while (year.find()) {
      if (year.start() > 0) {
        return new Recognition("movie", clean(name.substring(0, year.start())), Integer.parseInt(year.group(1)), null, null, tmdbId);
      }
    }
    return new Recognition("movie", clean(name), null, null, null, tmdbId);
  }

  private static String clean(String title) {
    return title.replaceAll("[\\[(\\-]+\\s*$", "").replaceAll("\\s+", " ").strip();
  }
}
