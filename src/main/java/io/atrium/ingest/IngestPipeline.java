package io.atrium.ingest;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ChunksReplace;
import io.atrium.bus.EmbeddedDocument;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Failure;
import io.atrium.bus.Keys;
import io.atrium.bus.ResourceRow;
import io.atrium.bus.Stage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file's trip through the stages: read the row, hash the file when atrium owns the row and has no hash yet,
 * chunking (parse + chunk), embedding, then one store transaction. Each step is an event-bus request.
 */
final class IngestPipeline {
  /** Stage percentages: parsing runs 5→25, embedding 30→95, done is 100. */
  static final int PARSE_START = 5;
  static final int PARSED = 25;
  static final int EMBED_START = 30;
  static final int EMBED_END = 95;

  interface Progress {
    void report(long resourceId, Stage stage, int percentage);
  }

  /** What a run ended with: indexed, skipped as already up to date, or gone. */
  enum Outcome { INDEXED, UNCHANGED, GONE }

  private final Vertx vertx;
  private final IngestSettings settings;
  private final Progress progress;

  IngestPipeline(Vertx vertx, IngestSettings settings, Progress progress) {
    this.vertx = vertx;
    this.settings = settings;
    this.progress = progress;
  }

  Future<Outcome> run(long resourceId, boolean force) {
    return Bus.request(vertx, Addresses.STORE_RESOURCE_GET, new JsonObject().put(Keys.ID, resourceId), 10_000)
        .compose(json -> {
          ResourceRow row = ResourceRow.fromJson(json);
          return force || row.needsIndexing() ? index(row, json.getJsonObject("chunk"))
              : Future.succeededFuture(Outcome.UNCHANGED);
        })
        .recover(e -> Failure.of(e).code() == ErrorCode.NOT_FOUND
            ? Future.succeededFuture(Outcome.GONE) : Future.failedFuture(e));
  }

  /** {@code chunk}: the knowledge base's chunk settings ({size_tokens, overlap_tokens}), null for the configured ones. */
  private Future<Outcome> index(ResourceRow row, JsonObject chunk) {
    long id = row.id();
    Path file = Path.of(row.filePath());
    return hashOf(row, file)
        .compose(hash -> Bus.request(vertx, Addresses.STORE_RESOURCE_STAGE, new JsonObject().put(Keys.ID, id)
                .put("stage", Stage.CHUNKING.word()).put(Keys.PROCESSING_HASH, hash)
                .put(Keys.FILE_HASH, row.fileHash() == null ? hash : null), 10_000)
            .onSuccess(v -> progress.report(id, Stage.CHUNKING, PARSE_START))
            .compose(v -> Bus.request(vertx, Addresses.PARSE_EXTRACT,
                new JsonObject().put(Keys.RESOURCE_ID, id).put(Keys.FILE_PATH, file.toString()), settings.parseTimeoutMs()))
            .onSuccess(v -> progress.report(id, Stage.CHUNKING, PARSED))
            .compose(parsed -> Bus.request(vertx, Addresses.STORE_RESOURCE_STAGE,
                    new JsonObject().put(Keys.ID, id).put("stage", Stage.EMBEDDING.word()), 10_000)
                .onSuccess(v -> progress.report(id, Stage.EMBEDDING, EMBED_START))
                .compose(v -> Bus.request(vertx, Addresses.EMBED_DOCUMENT, parsed.put(Keys.RESOURCE_ID, id)
                    .put("chunk", chunk), settings.embedTimeoutMs())))
            .map(EmbeddedDocument::fromJson)
            .compose(embedded -> embedded.chunks().isEmpty()
                // parse refuses a file without text, so no chunk means its text was lost on the way: never "done"
                ? Future.failedFuture(ErrorCode.UNPROCESSABLE.exception("the document's text fell into no chunk: "
                    + "nothing could be indexed"))
                : Bus.request(vertx, Addresses.STORE_CHUNKS_REPLACE,
                    new ChunksReplace(id, hash, embedded.model(), embedded.chunks()).toJson(), 60_000)))
        .map(Outcome.INDEXED);
  }

  /** The row's hash, or for a row without one (an upload) the file's SHA-256, computed off the event loop. */
  private Future<String> hashOf(ResourceRow row, Path file) {
    String known = row.fileHash();
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> sha256(file), false)
        .recover(e -> Future.failedFuture(ErrorCode.UNPROCESSABLE.exception("cannot read file: " + e.getMessage())));
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
