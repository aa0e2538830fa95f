package io.atrium.parse;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link Addresses#PARSE_STATUS} with whether OCR can work. Checked once at start, on a worker thread
 * ({@link OcrCheck} runs tesseract), with one WARN when OCR is on but cannot read everything it is asked to, so a
 * missing Tesseract is said before a file fails for it. An event-loop verticle of its own, apart from the parse
 * workers: /health must not wait behind a parse that takes its full time limit.
 */
public final class ParseStatusVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ParseStatusVerticle.class);

  @Override
  public Future<?> start() {
    ParseSettings settings = ParseSettings.fromJson(config());
    return vertx.executeBlocking(() -> OcrCheck.run(settings.ocr(), settings.tesseractPath(), settings.ocrLanguages()))
        .onSuccess(ocr -> {
          if (ocr.problem() != null) {
            String effect = OcrStatus.UNAVAILABLE.equals(ocr.state())
                ? "images and image-only PDF pages will end in error with no text"
                : "text in those languages will not be read";
            LOG.warn("OCR is on (parse.ocr) but {}: {}; install it or set parse.ocr: false", ocr.problem(), effect);
          }
        })
        .compose(ocr -> Bus.serve(vertx, Addresses.PARSE_STATUS, body -> Future.succeededFuture(ocr.toJson())));
  }
}
