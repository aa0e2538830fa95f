package io.atrium.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hard-links a recognised video (and the subtitles beside it) into the library layout Jellyfin, Plex and Emby read,
 * never moving, renaming or writing the original. Names from TMDB or file names are sanitised so nothing can
 * escape the library root. Blocking: runs on a worker thread.
 */
final class Linker {
  /** What linking did: COMPLETED with the target, CONFLICT (target exists, nothing touched) or FAILED with a reason. */
  record Outcome(String status, String targetPath, String reason, List<String> subtitles) {
  }

  private static final int MAX_NAME_BYTES = 180;

  private final Path libraryRoot;
  private final String movieTemplate;
  private final String episodeTemplate;
  private final Set<String> subtitleExtensions;
  private final Map<Path, Subtitles> subtitleListings = new ConcurrentHashMap<>();

  Linker(Path libraryRoot, String movieTemplate, String episodeTemplate, Set<String> subtitleExtensions) {
    this.libraryRoot = libraryRoot.toAbsolutePath().normalize();
    this.movieTemplate = movieTemplate;
    this.episodeTemplate = episodeTemplate;
    this.subtitleExtensions = subtitleExtensions;
  }

  /** The target path (without extension) of an entry, inside the library root. */
  Path target(String title, Integer year, boolean episode, Integer season, Integer number) {
    String template = episode ? episodeTemplate : movieTemplate;
    String rendered = template
        .replace("{title}", sanitise(title))
        .replace("{year}", year == null ? "" : year.toString())
        .replace("{season:02}", String.format(Locale.ROOT, "%02d", season == null ? 1 : season))
        .replace("{season}", String.valueOf(season == null ? 1 : season))
        .replace("{episode:02}", String.format(Locale.ROOT, "%02d", number == null ? 0 : number))
        .replace("{episode}", String.valueOf(number == null ? 0 : number))
        .replace(" ()", "").replace("()", "");
    Path target = libraryRoot;
    for (String part : rendered.split("/")) {
      String name = sanitise(part);
      if (!name.isEmpty()) {
        target = target.resolve(name);
      }
    }
    target = target.normalize();
    if (!target.startsWith(libraryRoot) || target.equals(libraryRoot)) {
      throw new IllegalArgumentException("target escapes the library root: " + rendered);
    }
    return target;
  }

  /** Links {@code source} as {@code targetBase + .ext}, then its subtitles; never overwrites anything. */
  Outcome link(Path source, Path targetBase) {
    if (!Files.isRegularFile(source)) {
      return new Outcome("FAILED", null, "the source file is gone: " + source, List.of());
    }
    Path target = targetBase.resolveSibling(targetBase.getFileName() + extensionOf(source));
    if (Files.exists(target)) {
      return new Outcome("CONFLICT", target.toString(), "the target already exists", List.of());
    }
    try {
      if (!sameDevice(source, libraryRoot)) {
        return new Outcome("FAILED", null, "the source and the library are on different filesystems: a hard link "
            + "cannot cross them (put both under one mount)", List.of());
      }
      Files.createDirectories(target.getParent());
      Files.createLink(target, source);
    } catch (FileAlreadyExistsException e) {
      return new Outcome("CONFLICT", target.toString(), "the target already exists", List.of());
    } catch (NoSuchFileException e) {
      return new Outcome("FAILED", null, "the source file is gone: " + source, List.of());
    } catch (FileSystemException e) {
      String reason = e.getReason() != null && e.getReason().toLowerCase(Locale.ROOT).contains("cross-device")
          ? "the source and the library are on different filesystems: a hard link cannot cross them"
          : "cannot create the hard link: " + e.getMessage();
      return new Outcome("FAILED", null, reason, List.of());
    } catch (IOException e) {
      return new Outcome("FAILED", null, "cannot create the hard link: " + e.getMessage(), List.of());
    }
    return new Outcome("COMPLETED", target.toString(), null, linkSubtitles(source, targetBase));
  }

  /** {@code Movie.2019.1080p.en.srt} beside {@code Movie.2019.1080p.mkv} becomes {@code <target>.en.srt}. */
  private List<String> linkSubtitles(Path video, Path targetBase) {
    List<String> linked = new ArrayList<>();
    String base = stripExtension(video.getFileName().toString());
    try {
      for (Path sibling : subtitlesIn(video.getParent())) {
        String name = sibling.getFileName().toString();
        if (!name.startsWith(base) || !Files.isRegularFile(sibling)) {
          continue;
        }
        String suffix = sanitise(name.substring(base.length()));
        Path target = targetBase.resolveSibling(targetBase.getFileName() + (suffix.startsWith(".") ? suffix : "." + suffix));
        if (!Files.exists(target)) {
          Files.createLink(target, sibling);
          linked.add(target.toString());
        }
      }
    } catch (IOException e) {
      // the video is linked; a subtitle that cannot be is not worth failing it for
    }
    return linked;
  }

  /**
   * The subtitle files of a folder, listed once per change of the folder (its modification time): a download
   * folder of 10,000 episodes is not listed again for each of them.
   */
  private List<Path> subtitlesIn(Path folder) throws IOException {
    FileTime modified = Files.getLastModifiedTime(folder);
    Subtitles known = subtitleListings.get(folder);
    if (known != null && known.modified().equals(modified)) {
      return known.files();
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String extension = extensionOf(entry).replaceFirst("^\\.", "");
        if (subtitleExtensions.contains(extension)) {
          files.add(entry);
        }
      }
    }
    if (subtitleListings.size() > 10_000) {
      subtitleListings.clear();
    }
    subtitleListings.put(folder, new Subtitles(modified, List.copyOf(files)));
    return files;
  }

  private record Subtitles(FileTime modified, List<Path> files) {
  }

  private static boolean sameDevice(Path source, Path libraryRoot) throws IOException {
    Path existing = libraryRoot;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return false;
    }
    return Files.getAttribute(source, "unix:dev").equals(Files.getAttribute(existing, "unix:dev"));
  }

  /**
   * A safe single path element: no separators, control characters or characters Windows shares refuse, no leading
   * or trailing dots and spaces (so never "." or ".."), at most 180 bytes.
   */
  static String sanitise(String name) {
    if (name == null) {
      return "";
    }
    String clean = name.replaceAll("[\\p{Cntrl}]", " ")
        .replaceAll("[/\\\\:*?\"<>|]", " ")
        .replaceAll("\\s+", " ")
        .strip()
        .replaceAll("^[.\\s]+", "")
        .replaceAll("[.\\s]+$", "");
    while (clean.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      clean = clean.substring(0, clean.length() - 1).strip();
    }
    return clean;
  }

  static String extensionOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
  }

  private static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? name : name.substring(0, dot);
  }
}
