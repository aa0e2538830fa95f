package io.atrium.parse;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.chunk.Block;
import io.atrium.system.ThreadPriority;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker verticle: {@link Addresses#PARSE_EXTRACT} turns a file into text and blocks. Each worker parses in its own
 * child JVM ({@link ParserProcess}), killed at the time or memory limit; with {@code parse.isolation: thread}, each
 * parse runs on a daemon thread instead, abandoned at the time limit while this worker moves on.
 */
public final class ParseVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ParseVerticle.class);

  private DocumentParser parser;
  private long timeoutSeconds;
  private ExecutorService parseThreads;
  /** The child process this worker parses in, when parse.isolation is process. */
  private ParserProcess child;

  @Override
  public Future<?> start() {
    ParseSettings settings = ParseSettings.fromJson(config());
    timeoutSeconds = settings.timeoutS();
    if (settings.isolated()) {
      child = new ParserProcess(settings, ParseChild.class.getName());
      return Bus.serveSync(vertx, Addresses.PARSE_EXTRACT, this::extract);
    }
    parser = new DocumentParser(settings.maxFileBytes(), settings.maxChars(), settings.ocr(), settings.ocrLanguages(),
        settings.tesseractPath());
    ThreadFactory platform = Thread.ofPlatform().name("atrium-tika-", 0).daemon().factory();
    parseThreads = Executors.newCachedThreadPool(work -> platform.newThread(() -> {
      ThreadPriority.lowerCurrentThread(19); // parsing is background work: requests come first
      work.run();
    }));
    return Bus.serveSync(vertx, Addresses.PARSE_EXTRACT, this::extract);
  }

  @Override
  public Future<?> stop() {
    if (parseThreads != null) {
      parseThreads.shutdownNow();
    }
    if (child != null) {
      child.close();
    }
    return Future.succeededFuture();
  }

  /** Runs on this worker's thread, waiting for the child or the parse thread up to the time limit. */
  private JsonObject extract(JsonObject body) {
    String path = Fields.exactText(body, "file_path", 4096);
    long resourceId = body.getLong("resource_id", -1L);
    if (child != null) {
      return extractInChild(resourceId, Path.of(path));
    }
    var task = parseThreads.submit(() -> parser.parse(Path.of(path)));
    try {
      ParsedDocument document = task.get(timeoutSeconds, TimeUnit.SECONDS);
      LOG.info("parsed resource {} ({}): {} chars, {} blocks", resourceId, document.contentType(),
          document.text().length(), document.blocks().size());
      return toJson(document);
    } catch (TimeoutException e) {
      task.cancel(true);
      LOG.warn("parse of resource {} timed out after {}s", resourceId, timeoutSeconds);
      throw ErrorCode.UNPROCESSABLE.exception("parsing took longer than " + timeoutSeconds + " s");
    } catch (ExecutionException e) {
      ParseFailure failure = e.getCause() instanceof ParseFailure f ? f : new ParseFailure(String.valueOf(e.getCause()), true);
      LOG.warn("parse of resource {} failed: {}", resourceId, failure.getMessage());
      throw (failure.permanent() ? ErrorCode.UNPROCESSABLE : ErrorCode.UNAVAILABLE).exception(failure.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ErrorCode.UNAVAILABLE.exception("parser is shutting down");
    }
  }

  private JsonObject extractInChild(long resourceId, Path file) {
    try {
      JsonObject document = child.parse(file);
      LOG.info("parsed resource {} ({}): {} chars, {} blocks", resourceId, document.getString("content_type"),
          document.getString("text").length(), document.getJsonArray("blocks").size());
      return document;
    } catch (ParseFailure failure) {
      LOG.warn("parse of resource {} failed: {}", resourceId, failure.getMessage());
      throw (failure.permanent() ? ErrorCode.UNPROCESSABLE : ErrorCode.UNAVAILABLE).exception(failure.getMessage());
    }
  }

  static JsonObject toJson(ParsedDocument document) {
    return new JsonObject()
        .put("text", document.text())
        .put("blocks", Block.toJson(document.blocks()))
        .put("content_type", document.contentType())
        .put("pages", document.pages());
  }
}
