package io.atrium.http;

import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The temporary folder of one upload request under uploads-tmp, a file per part. {@link #discard()} closes every file
 * it opened (also one still opening) before removing the folder, so nothing is written into it afterwards.
 */
final class UploadFolder {
  private final FileSystem fs;
  private final Path dir;
  private final List<Future<AsyncFile>> opening = new ArrayList<>();
  private final Set<AsyncFile> open = new HashSet<>();
  private Future<Void> created = Future.succeededFuture();
  private Future<Void> discarded;

  UploadFolder(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  Future<Void> create() {
    created = fs.mkdirs(dir.toString());
    return created;
  }

  /** A new file for part {@code index}; fails once the folder is discarded. */
  Future<AsyncFile> open(int index) {
    if (discarded != null) {
      return Future.failedFuture("the upload is over");
    }
    Future<AsyncFile> file = fs.open(path(index).toString(), new OpenOptions().setCreateNew(true).setWrite(true))
        .map(opened -> {
          open.add(opened);
          return opened;
        });
    opening.add(file);
    return file;
  }

  Path path(int index) {
    return dir.resolve("part-" + index);
  }

  /** Closes a file this folder opened (closing one twice would throw). */
  Future<Void> close(AsyncFile file) {
    return open.remove(file) ? file.close() : Future.succeededFuture();
  }

  /** Closes the files and removes the folder with whatever is left in it; once, however often it is called. */
  Future<Void> discard() {
    if (discarded == null) {
      // after the folder exists, or the removal could come first and the folder be made after it
      discarded = created.otherwiseEmpty()
          .compose(v -> Future.join(opening).otherwiseEmpty())
          .compose(v -> Future.join(List.copyOf(open).stream().map(file -> close(file).otherwiseEmpty()).toList()))
          .compose(v -> fs.deleteRecursive(dir.toString()))
          .otherwiseEmpty()
          .mapEmpty();
    }
    return discarded;
  }
}
