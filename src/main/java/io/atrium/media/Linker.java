package io.atrium.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hard-links a recognised video (and the subtitles beside it) into the library layout Jellyfin, Plex and Emby read,
 * never moving, renaming or writing the original. Names from TMDB or file names are sanitised so nothing can
 * escape the library root, and no symbolic link is ever followed: not the source (a link planted or swapped in
 * after the scan would make atrium publish whatever it points to, /etc/shadow included), not a subtitle, not a
 * folder inside the library (the link would land wherever that folder points). A library root that is itself a
 * symbolic link is resolved once, here, and logged. Blocking: runs on a worker thread.
 */
final class Linker {
  /** What linking did: COMPLETED with the target, CONFLICT (target exists, nothing touched) or FAILED with a reason. */
  record Outcome(String status, String targetPath, String reason, List<String> subtitles) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(Linker.class);
  private static final int MAX_NAME_BYTES = 180;

  private final Path libraryRoot;
  private final String movieTemplate;
  private final String episodeTemplate;
  private final Set<String> subtitleExtensions;
  private final Map<Path, Subtitles> subtitleListings = new ConcurrentHashMap<>();

  Linker(Path libraryRoot, String movieTemplate, String episodeTemplate, Set<String> subtitleExtensions) {
    this.libraryRoot = realRoot(libraryRoot.toAbsolutePath().normalize());
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

  private static Path realRoot(Path root) {
    try {
      Path real = root.toRealPath();
      if (!real.equals(root)) {
        LOG.warn("media library {} is a symbolic link: links go into {}", root, real);
      }
      return real;
    } catch (IOException e) {
      return root; // not there yet: created, as a real folder, at the first link
    }
  }

  /** Where a scanned file is: the (device, inode) it had at the scan, when known. */
  record FileKey(long device, long inode) {
  }

  /**
   * Links {@code source} as {@code targetBase + .ext}, then its subtitles; never overwrites anything. {@code scanned}
   * (when known) must still be the file at {@code source}: a file replaced since the scan is not linked.
   */
  Outcome link(Path source, Path targetBase, FileKey scanned) {
    String refused = refusedSource(source, scanned);
    if (refused != null) {
      return new Outcome("FAILED", null, refused, List.of());
    }
    Path target = targetBase.resolveSibling(targetBase.getFileName() + extensionOf(source));
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return new Outcome("CONFLICT", target.toString(), "the target already exists", List.of());
    }
    try {
      if (!sameDevice(source, libraryRoot)) {
        return new Outcome("FAILED", null, "the source and the library are on different filesystems: a hard link "
            + "cannot cross them (put both under one mount)", List.of());
      }
      String linkedFolder = symlinkedFolder(target.getParent());
      if (linkedFolder != null) {
        return new Outcome("FAILED", null, "the library folder " + linkedFolder + " is a symbolic link: atrium never "
            + "links through one", List.of());
      }
      Files.createDirectories(target.getParent());
      if (!target.getParent().toRealPath().startsWith(libraryRoot)) {
        return new Outcome("FAILED", null, "the target folder is outside the library", List.of());
      }
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

  /** Why {@code source} must not be linked (gone, a symbolic link, not a plain file, replaced), or null. */
  private static String refusedSource(Path source, FileKey scanned) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        return "the source is a symbolic link: atrium links only real files";
      }
      if (!attributes.isRegularFile()) {
        return "the source is not a regular file";
      }
      if (scanned != null) {
        long device = ((Number) Files.getAttribute(source, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
        long inode = ((Number) Files.getAttribute(source, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
        if (device != scanned.device() || inode != scanned.inode()) {
          return "the file was replaced since it was scanned: scan again";
        }
      }
      return null;
    } catch (NoSuchFileException e) {
      return "the source file is gone: " + source;
    } catch (IOException | UnsupportedOperationException e) {
      return "cannot read the source file: " + e.getMessage();
    }
  }

  /** The first existing folder from the library root down to {@code folder} that is a symbolic link, or null. */
  private String symlinkedFolder(Path folder) {
    Path current = libraryRoot;
    for (Path part : libraryRoot.relativize(folder)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        return libraryRoot.relativize(current).toString();
      }
    }
    return null;
  }

  /** {@code Movie.2019.1080p.en.srt} beside {@code Movie.2019.1080p.mkv} becomes {@code <target>.en.srt}. */
  private List<String> linkSubtitles(Path video, Path targetBase) {
    List<String> linked = new ArrayList<>();
    String base = stripExtension(video.getFileName().toString());
    try {
      for (Path sibling : subtitlesIn(video.getParent())) {
        String name = sibling.getFileName().toString();
        if (!name.startsWith(base)) {
          continue;
        }
        if (!Files.isRegularFile(sibling, LinkOption.NOFOLLOW_LINKS)) {
          LOG.warn("media subtitle {} skipped: {}", sibling, Files.isSymbolicLink(sibling)
              ? "it is a symbolic link (atrium links only real files)" : "not a regular file");
          continue;
        }
        String suffix = sanitise(name.substring(base.length()));
        Path target = targetBase.resolveSibling(targetBase.getFileName() + (suffix.startsWith(".") ? suffix : "." + suffix));
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
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
