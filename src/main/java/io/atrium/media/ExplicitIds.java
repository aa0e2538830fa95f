package io.atrium.media;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TMDB id written into a file or folder name the way Jellyfin and Plex write them ({@code [tmdbid-603]},
 * {@code {tmdb-603}}, {@code [tmdb=603]}, {@code tmdbid=603}): it wins over any recognition.
 */
final class ExplicitIds {
  static final Pattern TMDB = Pattern.compile("(?i)[\\[{(]?\\btmdb(?:id)?[-=\\s]?(\\d{1,9})\\b[\\]})]?");

  private ExplicitIds() {
  }

  /** The id in the deepest path element that has one (the file's own name first), or null. */
  static Long tmdbId(String relativePath) {
    String[] parts = relativePath.replace('\\', '/').split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      Matcher matcher = TMDB.matcher(parts[i]);
      if (matcher.find()) {
        return Long.parseLong(matcher.group(1));
      }
    }
    return null;
  }

  /** The name with any explicit id removed. */
  static String strip(String name) {
    return TMDB.matcher(name).replaceAll(" ").replaceAll("\\s+", " ").strip();
  }
}
