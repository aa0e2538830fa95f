package io.atrium.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties uploads-tmp of what is older than this process: the parts of uploads that a crash or {@code kill -9} cut
 * short (an upload's folder goes when its request ends, not when the process dies). Only entries from before the JVM
 * started go, so a second HTTP front end in the same process never removes an upload in progress.
 */
final class UploadLeftovers {
  private static final Logger LOG = LoggerFactory.getLogger(UploadLeftovers.class);

  private UploadLeftovers() {
  }

  /** Removes the leftovers (and makes the folder if it is missing), saying how many files went. */
  static Future<Void> sweep(Vertx vertx, String tmpDir) {
    long processStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    return vertx.executeBlocking(() -> removeOlderThan(Path.of(tmpDir), processStartMs), false)
        .onSuccess(removed -> {
          if (removed > 0) {
            LOG.info("removed {} files left in {} by uploads a crash or kill cut short", removed, tmpDir);
          }
        })
        .mapEmpty();
  }

  private static int removeOlderThan(Path dir, long startMs) throws IOException {
    Files.createDirectories(dir);
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis() < startMs) {
          removed += removeTree(entry);
        }
      }
    }
    return removed;
  }

  /** Deletes a file or a folder with all it holds (links, not what they point to); answers the files deleted. */
  private static int removeTree(Path root) throws IOException {
    List<Path> deepestFirst;
    try (Stream<Path> tree = Files.walk(root)) {
      deepestFirst = tree.sorted(Comparator.reverseOrder()).toList();
    }
    int files = 0;
    for (Path path : deepestFirst) {
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        files++;
      }
      Files.deleteIfExists(path);
    }
    return files;
  }
}
