package io.atrium.storage;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * How a stored file path is shown outside atrium (status replies, search hits, prompts): a file atrium keeps under
 * its data directory (an upload) relative to it — a client has no business with the server's folders — and a host
 * app's own path as the host wrote it.
 */
public final class ClientPaths {
  private ClientPaths() {
  }

  public static String shown(String filePath, Path dataDir) {
    if (filePath == null) {
      return null;
    }
    try {
      Path path = Path.of(filePath).toAbsolutePath().normalize();
      return path.startsWith(dataDir) ? dataDir.relativize(path).toString() : filePath;
    } catch (InvalidPathException e) {
      return filePath; // a host's row may hold any text: shown as given, never a 500
    }
  }
}
