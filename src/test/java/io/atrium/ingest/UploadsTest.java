package io.atrium.ingest;

import static org.assertj.core.api.Assertions.assertThat;

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
  void extensionIsTheLowerCasedSuffix() {
    assertThat(Uploads.extension("Paper.PDF")).isEqualTo("pdf");
    assertThat(Uploads.extension(".bashrc")).isEmpty();
    assertThat(Uploads.extension("README")).isEmpty();
  }
}
