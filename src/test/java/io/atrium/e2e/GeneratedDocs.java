package io.atrium.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hostile documents described by their shape rather than kept as files: written into a test's folder. */
public final class GeneratedDocs {
  private GeneratedDocs() {
  }

  /**
   * nested_100k.html of issue 13's hostile-file run: 100,000 nested divs, a sentence every thousand levels and one at
   * the bottom (about 1.1 MB).
   */
  public static Path nested100k(Path dir) throws IOException {
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>nested</title></head><body>");
    for (int level = 0; level < 100_000; level++) {
      html.append("<div>");
      if (level % 1000 == 0) {
        html.append("level ").append(level).append(" of the nesting. ");
      }
    }
    html.append("The deepest sentence survives.");
    html.append("</div>".repeat(100_000)).append("</body></html>");
    return Files.writeString(dir.resolve("nested_100k.html"), html);
  }
}
