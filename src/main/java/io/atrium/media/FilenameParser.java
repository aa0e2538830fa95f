package io.atrium.media;

import io.atrium.media.name.NameParser;
import io.atrium.text.TitleText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule-based recognition of video file names: scene releases, anime fansubs, Chinese names, Plex/Jellyfin layouts.
 * The file name is read first ({@link NameParser}); parent folders then fill what it does not say: a season folder
 * gives the season, a "Title (Year)" folder or a show folder gives the title, a release folder stands in for an
 * obfuscated or abbreviated file name. An explicit TMDB id anywhere in the path is returned as is.
 */
public final class FilenameParser {
  private static final int MAX_LENGTH = 1024;
  private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern TMDB = Pattern.compile("[\\[{(]\\s*tmdb(?:id)?\\s*[-=:]\\s*(\\d{1,10})\\s*[]})]"
      + "|(?<![\\p{L}\\p{N}])tmdb(?:id)?\\s*[-=:]\\s*(\\d{1,10})(?!\\d)", CI);
  private static final Pattern OTHER_IDS = Pattern.compile("[\\[{(]\\s*(?:imdb|tvdb|anidb)(?:id)?\\s*[-=:]\\s*(?:tt)?"
      + "\\d+\\s*[]})]|(?<![\\p{L}\\p{N}])(?:imdb|tvdb)(?:id)?\\s*[-=:]\\s*(?:tt)?\\d+", CI);
  private static final Pattern EXTENSION = Pattern.compile("\\.(?:mkv|mk3d|avi|mp4|m4v|mov|wmv|mpe?g|ts|m2ts|webm|ogm"
      + "|ogv|flv|iso|vob|rmvb|rm|divx|3gp|srt|ass|ssa|sub|idx|sup|vtt|nfo|torrent|nzb|txt|jpg|png)$", CI);
  private static final Pattern SEASON_FOLDER = Pattern.compile("^(?:season|saison|temporada|staffel|stagione|seizoen"
      + "|series|s)[ ._-]*(\\d{1,4})(?!\\p{N})|^第\\s*(\\d{1,3})\\s*季", CI);
  private static final Pattern SPECIALS = Pattern.compile("^specials?$", CI);
  private static final Pattern PLEX_FOLDER = Pattern.compile("^([^()\\[\\]]+?)\\s*(?:\\([^()]*\\)\\s*)*\\(((?:19|20)\\d\\d)\\)$");
  private static final Pattern HEX = Pattern.compile("(?i)[0-9a-f]{16,}");
  private static final Set<String> MOVIE_FOLDERS = Set.of("movies", "movie", "films", "film");
  private static final Set<String> SHOW_FOLDERS = Set.of("series", "tv", "tv shows", "tvshows", "tv series", "shows",
      "anime");
  private static final Set<String> GENERIC_FOLDERS = Set.of("videos", "video", "downloads", "download", "media",
      "complete", "completed", "incomplete", "unsorted", "public", "share", "data", "mnt", "home", "tmp", "temp");

  private FilenameParser() {
  }

  /**
   * Parses a file name or a path relative to the scanned folder (parent folders are hints). Never null; any name,
   * however hostile, gives a recognition, so an exception here is a parser bug and is left to surface.
   */
  public static Recognition parse(String relativePath) {
    return recognise(relativePath == null ? "" : relativePath);
  }

  private record Folder(String name, NameParser.Parsed parsed, Integer season, boolean skipped, String plexTitle,
      Integer plexYear) {
    String title() {
      return plexTitle != null ? plexTitle : parsed.title();
    }

    boolean releaseLike() {
      return parsed.strongTags() > 0 || parsed.saysEpisode() || parsed.year() != null;
    }
  }

  private static Recognition recognise(String input) {
    String path = input.length() > MAX_LENGTH ? input.substring(input.length() - MAX_LENGTH) : input;
    List<String> segments = new ArrayList<>();
    for (String segment : TitleText.sanitize(path).replace('\\', '/').split("/")) {
      String trimmed = segment.trim();
      if (!trimmed.isEmpty() && !trimmed.equals(".") && !trimmed.equals("..") && !trimmed.matches("[A-Za-z]:")) {
        segments.add(trimmed);
      }
    }
    Long tmdbId = null;
    for (int i = segments.size() - 1; i >= 0; i--) {
      Matcher id = TMDB.matcher(segments.get(i));
      if (tmdbId == null && id.find()) {
        tmdbId = Long.parseLong(id.group(1) != null ? id.group(1) : id.group(2));
      }
      segments.set(i, OTHER_IDS.matcher(TMDB.matcher(segments.get(i)).replaceAll(" ")).replaceAll(" ").trim());
    }
    segments.removeIf(segment -> !TitleText.hasAlnum(segment));
    if (segments.isEmpty()) {
      return new Recognition(Recognition.MOVIE, null, null, null, null, tmdbId);
    }
    String stem = EXTENSION.matcher(segments.get(segments.size() - 1)).replaceAll("");
    List<Folder> folders = new ArrayList<>();
    for (int i = segments.size() - 2; i >= 0; i--) {
      folders.add(folder(segments.get(i)));
    }
    return merge(stem, fileName(stem), folders, tmdbId);
  }

  /** The file name, read backwards when it was written backwards ("...p0801.70E10S.5102.sregnesseM.ehT"). */
  private static NameParser.Parsed fileName(String stem) {
    NameParser.Parsed parsed = NameParser.parse(stem);
    if (parsed.strongTags() == 0) {
      NameParser.Parsed reversed = NameParser.parse(new StringBuilder(stem).reverse().toString());
      if (reversed.strongTags() >= 2) {
        return reversed;
      }
    }
    return parsed;
  }

  private static Folder folder(String name) {
    Matcher season = SEASON_FOLDER.matcher(name);
    Integer seasonNumber = null;
    if (season.find()) {
      seasonNumber = Integer.parseInt(season.group(1) != null ? season.group(1) : season.group(2));
    } else if (SPECIALS.matcher(name).matches()) {
      seasonNumber = 0;
    }
    String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} ]", " ").trim().replaceAll("\\s+", " ");
    boolean skipped = seasonNumber != null || MOVIE_FOLDERS.contains(lower) || SHOW_FOLDERS.contains(lower)
        || GENERIC_FOLDERS.contains(lower);
    Matcher plex = PLEX_FOLDER.matcher(name);
    String plexTitle = plex.matches() ? TitleText.cleanTitle(plex.group(1)) : null;
    Integer plexYear = plexTitle != null ? Integer.valueOf(plex.group(2)) : null;
    return new Folder(name, NameParser.parse(name), seasonNumber, skipped, plexTitle, plexYear);
  }

  private static Recognition merge(String stem, NameParser.Parsed file, List<Folder> folders, Long tmdbId) {
    String title = file.title();
    Integer year = file.year();
    Integer season = file.season();
    Integer episode = file.episode();
    boolean dated = file.dated();
    Folder show = folders.stream().filter(f -> !f.skipped() && !obfuscated(f.name()) && f.title() != null).findFirst()
        .orElse(null);
    Folder release = folders.stream().filter(f -> !f.skipped() && !obfuscated(f.name())).findFirst()
        .filter(f -> f.title() != null).orElse(null);

    if (release != null && release.releaseLike() && (title == null || obfuscated(stem))) {
      title = release.title();
      year = release.parsed().year();
      season = release.parsed().season();
      episode = release.parsed().episode();
      dated = release.parsed().dated();
    } else if (release != null && release.releaseLike() && abbreviated(stem, file, release)) {
      title = release.title();
      year = year != null ? year : release.parsed().year();
      season = season != null ? season : release.parsed().season();
      episode = episode != null ? episode : release.parsed().episode();
    } else if ((title == null || file.titleAfterMarker()) && show != null) {
      title = show.title();
    } else if (show != null && (show.plexTitle() != null || show == folders.get(0))) {
      title = spelling(title, show.title(), show.plexTitle() != null);
    }
    for (Folder folder : folders) {
      if (season == null && folder.season() != null) {
        season = folder.season();
      }
      if (year == null && title != null && similar(title, folder.title())) {
        year = folder.plexYear() != null ? folder.plexYear() : folder.parsed().year();
      }
    }
    boolean episodic = season != null || episode != null || dated
        || folders.stream().anyMatch(f -> f.season() != null) || !moviesFirst(folders);
    return new Recognition(episodic ? Recognition.EPISODE : Recognition.MOVIE, title, year, season, episode, tmdbId);
  }

  /** Whether the nearest folder that says so is a movies folder; true when no folder says (a movie is the default). */
  private static boolean moviesFirst(List<Folder> folders) {
    for (Folder folder : folders) {
      String lower = folder.name().toLowerCase(Locale.ROOT).trim();
      if (MOVIE_FOLDERS.contains(lower)) {
        return true;
      }
      if (SHOW_FOLDERS.contains(lower)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Of a file title and a folder title that name the same thing, the spelling that carries more (accents,
   * apostrophes); when they differ, the folder's only if it is a "Title (Year)" folder or one contains the other.
   */
  private static String spelling(String fileTitle, String folderTitle, boolean plexFolder) {
    if (fileTitle == null) {
      return folderTitle;
    }
    String a = TitleText.fold(fileTitle);
    String b = TitleText.fold(folderTitle);
    if (a.equals(b)) {
      return richness(folderTitle) > richness(fileTitle) ? folderTitle : fileTitle;
    }
    if (!b.isEmpty() && a.contains(b)) {
      return folderTitle;
    }
    return plexFolder ? folderTitle : fileTitle;
  }

  private static long richness(String title) {
    return title.codePoints().filter(cp -> cp > 127 || cp == '\'').count();
  }

  private static boolean similar(String a, String b) {
    String x = TitleText.fold(a);
    String y = TitleText.fold(b);
    return !x.isEmpty() && !y.isEmpty() && (x.contains(y) || y.contains(x));
  }

  /** Hashes and random strings that downloaders put in place of a name. */
  private static boolean obfuscated(String stem) {
    if (stem.chars().anyMatch(Character::isWhitespace)) {
      return false;
    }
    String alnum = stem.replaceAll("[^\\p{L}\\p{N}]", "");
    long digits = alnum.chars().filter(Character::isDigit).count();
    boolean mixedCase = stem.chars().anyMatch(Character::isUpperCase) && stem.chars().anyMatch(Character::isLowerCase);
    boolean longToken = stem.split("[^\\p{L}\\p{N}]").length > 0
        && Arrays.stream(stem.split("[^\\p{L}\\p{N}]")).anyMatch(t -> t.length() >= 16 && mixedCase
        && t.chars().anyMatch(Character::isDigit));
    return HEX.matcher(stem).find() || longToken || !alnum.isEmpty() && digits * 100 >= alnum.length() * 55L;
  }

  /** Scene abbreviations of a release folder's name ("dmd-aw.avi" in "Alice in Wonderland DVDRip.XviD-DiAMOND"). */
  private static boolean abbreviated(String stem, NameParser.Parsed file, Folder release) {
    if (stem.chars().anyMatch(Character::isWhitespace) || file.title() == null) {
      return false;
    }
    if (similar(file.title(), release.title())) {
      return TitleText.fold(file.title()).contains(TitleText.fold(release.title()))
          && !TitleText.fold(file.title()).equals(TitleText.fold(release.title()));
    }
    boolean bare = file.strongTags() == 0 && !file.saysEpisode() && file.year() == null;
    return bare || file.title().split("[\\s-]+").length <= 2;
  }
}
