package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** /health says whether OCR can work, and a start without Tesseract says so in one WARN, before any file fails. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class OcrStatusTest {

  @Test
  void withTesseractInstalledHealthSaysOcrIsAvailable(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_PARSE_OCR_LANGUAGES", "eng"));
    JsonObject health = atrium.get("/health").bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getString("ocr")).isEqualTo("available");
    assertThat(health.containsKey("ocr_missing_languages")).isFalse();
  }

  @Test
  void withoutTesseractHealthSaysOcrIsUnavailableAndTheStartWarnedOnce(Vertx vertx, @TempDir Path dataDir,
      @TempDir Path noTesseractHere) {
    int warningsBefore = LogCapture.warnings().size();
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir)
        .start(Map.of("ATRIUM_PARSE_TESSERACT_PATH", noTesseractHere.toString()));

    JsonObject health = atrium.get("/health").bodyAsJsonObject();
    assertThat(health.getString("status")).as("atrium is up, OCR is not").isEqualTo("ok");
    assertThat(health.getString("ocr")).isEqualTo("unavailable");
    List<String> warnings = LogCapture.warnings();
    assertThat(warnings.subList(warningsBefore, warnings.size()).stream().filter(line -> line.contains("OCR is on")))
        .singleElement().asString()
        .contains("Tesseract is not installed (no tesseract program in " + noTesseractHere + " (parse.tesseract_path))")
        .contains("set parse.ocr: false");
  }
}
