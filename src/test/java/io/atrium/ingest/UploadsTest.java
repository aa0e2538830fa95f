package io.atrium.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class UploadsTest {

  @Test
  void clientFileNamesLoseEveryPathAndControlCharacter() {
    assertThat(Uploads.safeName("../../etc/passwd")).isEqualTo("passwd");
    assertThat(Uploads.safeName("C:\\Users\\me\\report.pdf")).isEqualTo("report.pdf");
    assertThat(Uploads.safeName("a\nb\u0000.txt")).isEqualTo("ab.txt");
    assertThat(Uploads.safeName("..")).isEqualTo("upload");
    assertThat(Uploads.safeName(null)).isEqualTo("upload");
    assertThat(Uploads.safeName("长".repeat(100) + ".pdf").getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(255);
  }

  @Test
  void aLongNameIsCutToFitAnyFileSystemBetweenCharacters() {
    assertThat(Uploads.safeName("a." + "b".repeat(5000))).as("a long extension is cut like the rest").isEqualTo("a." + "b".repeat(198));
    assertThat(Uploads.safeName("x".repeat(5000) + ".txt")).isEqualTo("x".repeat(196) + ".txt");
    String emoji = Uploads.safeName("\uD83D\uDCDA".repeat(255) + ".pdf");
    assertThat(emoji).endsWith(".pdf").startsWith("\uD83D\uDCDA");
    assertThat(emoji.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(200);
    assertThat(emoji.codePoints().filter(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)).as("no half characters").isEmpty();
  }

  @Test
  void extensionIsTheLowerCasedSuffix() {
    assertThat(Uploads.extension("Paper.PDF")).isEqualTo("pdf");
    assertThat(Uploads.extension(".bashrc")).isEmpty();
    assertThat(Uploads.extension("README")).isEmpty();
  }
}
