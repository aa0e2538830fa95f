package io.atrium.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.tika.exception.TikaConfigException;
import org.apache.tika.parser.ocr.TesseractOCRParser;

/**
 * Asks Tika's own TesseractOCRParser, pointed where parsing points it ({@link DocumentParser#useTesseractAt}),
 * whether its tesseract program runs and which languages it has, so that the check and the parses agree on the
 * program, its folder and its language data. Blocking (it runs tesseract): call from a worker thread, once.
 */
final class OcrCheck {
  private OcrCheck() {
  }

  static OcrStatus run(boolean ocr, String tesseractPath, String languages) {
    if (!ocr) {
      return new OcrStatus(OcrStatus.OFF, List.of(), null);
    }
    String where = tesseractPath.isEmpty() ? "no tesseract program on PATH"
        : "no tesseract program in " + tesseractPath + " (parse.tesseract_path)";
    TesseractOCRParser tesseract = new TesseractOCRParser();
    Set<String> installed;
    try {
      if (!tesseractPath.isEmpty()) {
        tesseract.setTesseractPath(tesseractPath);
      }
      if (!tesseract.hasTesseract()) {
        return unavailable("Tesseract is not installed (" + where + ")", List.of());
      }
      tesseract.setPreloadLangs(true); // runs tesseract --list-langs with the environment parses get
      tesseract.initialize(Map.of());
      installed = tesseract.getLangs();
    } catch (TikaConfigException e) {
      return unavailable("Tesseract cannot be used: " + e.getMessage(), List.of());
    }
    List<String> wanted = Arrays.stream(languages.split("\\+")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    List<String> missing = new ArrayList<>(wanted);
    missing.removeAll(installed);
    if (missing.isEmpty()) {
      return new OcrStatus(OcrStatus.AVAILABLE, List.of(), null);
    }
    String problem = "Tesseract has no language data for " + String.join(", ", missing) + " (parse.ocr_languages is "
        + languages + "; installed: " + String.join(", ", installed.stream().sorted().toList()) + ")";
    // tesseract reads with the languages it has and skips the others; with none of them it reads nothing
    return missing.size() == wanted.size() ? unavailable(problem, missing)
        : new OcrStatus(OcrStatus.AVAILABLE, missing, problem);
  }

  private static OcrStatus unavailable(String problem, List<String> missing) {
    return new OcrStatus(OcrStatus.UNAVAILABLE, missing, problem);
  }
}
