package io.atrium.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Whether OCR can work: {@code off} (parse.ocr is false), {@code unavailable} (no Tesseract, or none of the
 * configured languages), or {@code available}, possibly without some of the languages asked for; {@code problem}
 * says what is missing, in the words of the start-up warning (null when nothing is).
 */
public record OcrStatus(String state, List<String> missingLanguages, String problem) {
  public static final String AVAILABLE = "available";
  public static final String UNAVAILABLE = "unavailable";
  public static final String OFF = "off";

  public OcrStatus {
    missingLanguages = List.copyOf(missingLanguages);
  }

  /** The reply of atrium.parse.status: {ocr, ocr_missing_languages?}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("ocr", state);
    if (!missingLanguages.isEmpty()) {
      json.put("ocr_missing_languages", new JsonArray(missingLanguages));
    }
    return json;
  }
}
