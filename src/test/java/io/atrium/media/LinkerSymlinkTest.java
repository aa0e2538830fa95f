package io.atrium.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No symbolic link takes a link out of the library or puts a file the user did not scan into it (issue 12, item 4):
 * each escape of the issue, on a real filesystem.
 */
class LinkerSymlinkTest {
  @TempDir
  Path root;
  Path downloads;
  Path library;
  Path secret;

  @BeforeEach
  void layout() throws Exception {
    downloads = Files.createDirectories(root.resolve("downloads"));
    library = Files.createDirectories(root.resolve("library"));
    secret = Files.writeString(root.resolve("shadow"), "root:$6$secret");
  }

  @Test
  void aSubtitleThatIsASymbolicLinkIsSkippedTheVideoStillLinked() throws Exception {
    Path video = Files.writeString(downloads.resolve("The.Matrix.1999.1080p.mkv"), "video");
    Files.createSymbolicLink(downloads.resolve("The.Matrix.1999.1080p.fr.srt"), secret);
    Files.writeString(downloads.resolve("The.Matrix.1999.1080p.en.srt"), "subtitle");
    Linker.Outcome outcome = linker(library).link(video, target(library, "The Matrix (1999)"), null);
    assertThat(outcome.status()).isEqualTo("COMPLETED");
    assertThat(outcome.subtitles()).singleElement().asString().endsWith(".en.srt");
    try (var linked = Files.list(Path.of(outcome.targetPath()).getParent())) {
      assertThat(linked.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".fr.srt"));
    }
  }

  @Test
  void aSourceSwappedForASymbolicLinkAfterTheScanIsNotLinked() throws Exception {
    Path video = Files.writeString(downloads.resolve("Heat.1995.mkv"), "video");
    Linker.FileKey scanned = key(video);
    Files.delete(video);
    Files.createSymbolicLink(video, secret);
    Linker.Outcome outcome = linker(library).link(video, target(library, "Heat (1995)"), scanned);
    assertThat(outcome.status()).isEqualTo("FAILED");
    assertThat(outcome.reason()).contains("symbolic link");
    assertThat(Files.exists(library.resolve("Movies"))).isFalse();
  }

  @Test
  void aSourceReplacedByAnotherFileSinceTheScanIsNotLinked() throws Exception {
    Path video = Files.writeString(downloads.resolve("Heat.1995.mkv"), "video");
    Linker.FileKey scanned = key(video);
    Files.delete(video);
    Files.createLink(video, secret); // same path, another file (its inode)
    Linker.Outcome outcome = linker(library).link(video, target(library, "Heat (1995)"), scanned);
    assertThat(outcome.status()).isEqualTo("FAILED");
    assertThat(outcome.reason()).contains("replaced since it was scanned");
  }

  @Test
  void aSymbolicLinkFolderInsideTheLibraryIsNeverLinkedThrough() throws Exception {
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Files.createDirectories(library.resolve("Movies"));
    Files.createSymbolicLink(library.resolve("Movies/Escape Test (2011)"), elsewhere);
    Path video = Files.writeString(downloads.resolve("Escape.Test.2011.mkv"), "video");
    Linker.Outcome outcome = linker(library).link(video, target(library, "Escape Test (2011)"), key(video));
    assertThat(outcome.status()).isEqualTo("FAILED");
    assertThat(outcome.reason()).contains("Movies/Escape Test (2011) is a symbolic link");
    try (var planted = Files.list(elsewhere)) {
      assertThat(planted).isEmpty();
    }
  }

  @Test
  void aLibraryRootThatIsASymbolicLinkIsResolvedOnceAndLinksLandInTheRealFolder() throws Exception {
    Path alias = Files.createSymbolicLink(root.resolve("library-alias"), library);
    Path video = Files.writeString(downloads.resolve("Alien.1979.mkv"), "video");
    Linker linker = linker(alias);
    Linker.Outcome outcome = linker.link(video, linker.target("Alien", 1979, false, null, null), key(video));
    assertThat(outcome.status()).isEqualTo("COMPLETED");
    assertThat(Path.of(outcome.targetPath())).startsWith(library.toRealPath());
    assertThat(Files.isSameFile(Path.of(outcome.targetPath()), video)).isTrue();
  }

  private static Linker linker(Path library) {
    return new Linker(library, "Movies/{title}/{title}", "Shows/{title}/{title} S{season:02}E{episode:02}", Set.of("srt"));
  }

  private static Path target(Path library, String title) throws Exception {
    return library.toRealPath().resolve("Movies").resolve(title).resolve(title);
  }

  private static Linker.FileKey key(Path file) throws Exception {
    return new Linker.FileKey(((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue(),
        ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue());
  }
}
