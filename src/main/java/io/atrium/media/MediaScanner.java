package io.atrium.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Walks the source folders for video files worth processing (blocking: runs on a worker thread). Skipped by rule:
 * hidden entries, the library itself, extras folders, samples, partial downloads (.part, .!qB, .crdownload, an
 * .aria2 control file beside it), files still being written (modified within {@code stable_s}) and videos under
 * the minimum size. Each file is reported with its (device, inode), which is its identity.
 */
final class MediaScanner {
  private static final Set<String> EXTRAS_FOLDERS = Set.of("sample", "samples", "extras", "extra", "featurettes",
      "behind the scenes", "deleted scenes", "interviews", "scenes", "shorts", "trailers", "trailer", "other", "bonus",
      "specials features", "@eadir", "#recycle", "$recycle.bin", "lost+found");
  private static final Set<String> PARTIAL_SUFFIXES = Set.of(".part", ".!qb", ".crdownload", ".tmp", ".partial",
      ".download", ".aria2", ".!ut", ".bc!");
  private static final Pattern SAMPLE = Pattern.compile("(?i)(^|[\\s._\\-\\[(])sample([\\s._\\-\\])]|$)");

  /** What one scan found: files to record and how many were passed over, by reason. */
  record Result(JsonArray files, Map<String, Integer> skipped) {
  }

  private final MediaSettings settings;

  MediaScanner(MediaSettings settings) {
    this.settings = settings;
  }

  Result scan() {
    JsonArray files = new JsonArray();
    Map<String, Integer> skipped = new TreeMap<>();
    long stableBefore = System.currentTimeMillis() - settings.stableS() * 1000;
    for (Path root : settings.sourceDirs()) {
      if (!Files.isDirectory(root)) {
        skipped.merge("missing source folder", 1, Integer::sum);
        continue;
      }
      try {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String name = dir.getFileName().toString();
            if (name.startsWith(".") || EXTRAS_FOLDERS.contains(name.toLowerCase(Locale.ROOT))
                || (settings.libraryDir() != null && dir.normalize().equals(settings.libraryDir()))) {
              skipped.merge("hidden, extras or library folder", 1, Integer::sum);
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String reason = skipReason(file, attrs, stableBefore);
            if (reason != null) {
              if (!reason.isEmpty()) {
                skipped.merge(reason, 1, Integer::sum);
              }
              return FileVisitResult.CONTINUE;
            }
            try {
              Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino");
              files.add(new JsonObject()
                  .put("device", ((Number) unix.get("dev")).longValue())
                  .put("inode", ((Number) unix.get("ino")).longValue())
                  .put("path", file.toString())
                  .put("relative_path", root.relativize(file).toString())
                  .put("size", attrs.size()));
            } catch (IOException | UnsupportedOperationException e) {
              skipped.merge("unreadable", 1, Integer::sum);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            skipped.merge("unreadable", 1, Integer::sum);
            return FileVisitResult.CONTINUE;
          }
        });
      } catch (IOException e) {
        skipped.merge("unreadable", 1, Integer::sum);
      }
    }
    return new Result(files, skipped);
  }

  /** Null to take the file; "" to pass over it silently (not a video at all); else the reason it waits or is skipped. */
  private String skipReason(Path file, BasicFileAttributes attrs, long stableBefore) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (!attrs.isRegularFile() || name.startsWith(".")) {
      return "";
    }
    for (String suffix : PARTIAL_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return "partial download";
      }
    }
    int dot = lower.lastIndexOf('.');
    if (dot < 0 || !settings.videoExtensions().contains(lower.substring(dot + 1))) {
      return "";
    }
    if (Files.exists(file.resolveSibling(name + ".aria2")) || Files.exists(file.resolveSibling(name + ".part"))) {
      return "partial download";
    }
    if (SAMPLE.matcher(name.substring(0, dot)).find()) {
      return "sample";
    }
    if (attrs.size() < settings.minVideoBytes()) {
      return "smaller than media.min_video_mb";
    }
    FileTime modified = attrs.lastModifiedTime();
    if (modified.toMillis() > stableBefore) {
      return "still being written";
    }
    return null;
  }
}
