package io.atrium.parse;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/**
 * The parse section of conf/atrium.yaml: a file's size, text, time and memory limits, OCR (on or off, its languages,
 * the folder of the tesseract program, empty for PATH), how many parse at once, and where: in a child process per
 * parse worker ({@code process}, the default: a runaway parse is killed) or on a thread of atrium's own JVM
 * ({@code thread}: abandoned at the time limit, but it runs on and holds its memory).
 */
public record ParseSettings(long maxFileBytes, long maxChars, boolean ocr, String ocrLanguages, String tesseractPath,
    long timeoutS, int instances, boolean isolated, long maxHeapMb) {

  public static ParseSettings fromJson(JsonObject json) {
    ConfigSection parse = new ConfigSection("parse", json);
    return new ParseSettings(
        parse.longInteger("max_file_mb") * 1024 * 1024,
        parse.longInteger("max_chars"),
        parse.bool("ocr"),
        parse.string("ocr_languages"),
        parse.string("tesseract_path").strip(),
        parse.longInteger("timeout_s"),
        parse.integer("instances"),
        isolation(parse.string("isolation")),
        parse.longInteger("max_heap_mb"));
  }

  private static boolean isolation(String value) {
    return switch (value) {
      case "process" -> true;
      case "thread" -> false;
      default -> throw new IllegalArgumentException("parse.isolation must be process or thread, not '" + value + "'");
    };
  }

  /**
   * How long a parse worker may be busy before Vert.x reports it blocked: a parse may legitimately take up to its time
   * limit, and the parser abandons it after that.
   */
  public long maxWorkerExecuteS() {
    return timeoutS + 30;
  }
}
