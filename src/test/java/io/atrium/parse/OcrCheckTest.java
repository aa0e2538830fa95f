package io.atrium.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs tesseract-ocr with English data on PATH, as the OCR tests do (README). */
class OcrCheckTest {

  @Test
  void theTesseractOnPathWithItsLanguagesIsAvailable() {
    OcrStatus status = OcrCheck.run(true, "", "eng");
    assertThat(status).isEqualTo(new OcrStatus(OcrStatus.AVAILABLE, List.of(), null));
    assertThat(status.toJson().encode()).isEqualTo("{\"ocr\":\"available\"}");
  }

  @Test
  void aFolderWithoutTesseractMakesOcrUnavailable(@TempDir Path empty) {
    OcrStatus status = OcrCheck.run(true, empty.toString(), "eng");
    assertThat(status.state()).isEqualTo(OcrStatus.UNAVAILABLE);
    assertThat(status.problem()).isEqualTo("Tesseract is not installed (no tesseract program in " + empty
        + " (parse.tesseract_path))");
    assertThat(OcrCheck.run(true, empty.resolve("missing").toString(), "eng").state()).isEqualTo(OcrStatus.UNAVAILABLE);
  }

  @Test
  void missingLanguagesAreNamedAndWithNoneLeftOcrIsUnavailable() {
    OcrStatus some = OcrCheck.run(true, "", "eng+xx_none");
    assertThat(some.state()).isEqualTo(OcrStatus.AVAILABLE);
    assertThat(some.missingLanguages()).containsExactly("xx_none");
    assertThat(some.problem()).startsWith("Tesseract has no language data for xx_none (parse.ocr_languages is eng+xx_none;")
        .contains("eng");
    assertThat(some.toJson().getJsonArray("ocr_missing_languages")).containsExactly("xx_none");
    OcrStatus none = OcrCheck.run(true, "", "xx_none+yy_none");
    assertThat(none.state()).isEqualTo(OcrStatus.UNAVAILABLE);
    assertThat(none.missingLanguages()).containsExactly("xx_none", "yy_none");
  }

  @Test
  void ocrTurnedOffIsOffWhateverIsInstalled(@TempDir Path empty) {
    assertThat(OcrCheck.run(false, empty.toString(), "eng")).isEqualTo(new OcrStatus(OcrStatus.OFF, List.of(), null));
  }
}
