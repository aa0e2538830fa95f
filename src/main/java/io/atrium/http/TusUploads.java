package io.atrium.http;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads, the tus 1.0 protocol (core, creation, creation-with-upload, termination, expiration) at
 * {@code /api/v1/uploads/}: a client creates an upload with its length and {@code Upload-Metadata} ({@code filename}
 * or {@code name}, {@code knowledge_base_id}), sends its bytes in PATCHes from the offset HEAD tells it, and after a
 * dropped connection goes on from where the bytes on disk end. The bytes stream to {@code <data.dir>/uploads-tus}
 * (never whole in memory) and are hashed as they come; the last byte hands the file to ingest like a multipart upload
 * and the answer names its task and document ({@code Atrium-Task-Id}, {@code Atrium-Document-Id}). An upload that
 * sees no byte for {@code tus.expire_s} is deleted with its bytes.
 */
final class TusUploads {
  private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);
  static final String VERSION = "1.0.0";
  private static final String EXTENSIONS = "creation,creation-with-upload,termination,expiration";
  private static final String OFFSET_TYPE = "application/offset+octet-stream";
  private static final String BASE = "/api/v1/uploads/";
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final long SWEEP_EVERY_MS = 60_000;

  private final Vertx vertx;
  private final FileSystem fs;
  private final Path dir;
  private final long maxSize;
  private final long expireMs;
  private final long registerTimeoutMs;
  /** Uploads a PATCH (or the hand-over to ingest) is working on: a second one at the same time is a 409. */
  private final Set<String> busy = new HashSet<>();
  /** The running SHA-256 of each upload whose every byte this process saw, with how many bytes it covers. */
  private final Map<String, Digest> digests = new HashMap<>();
  /** The records of uploads seen since start (the files are the truth after a restart). */
  private final Map<String, JsonObject> infos = new HashMap<>();

  private static final class Digest {
    final MessageDigest sha256 = sha256();
    long bytes;
  }

  TusUploads(Vertx vertx, Path dir, long maxSize, long expireMs, long registerTimeoutMs) {
    this.vertx = vertx;
    this.fs = vertx.fileSystem();
    this.dir = dir;
    this.maxSize = maxSize;
    this.expireMs = expireMs;
    this.registerTimeoutMs = registerTimeoutMs;
  }

  Future<Void> start() {
    return fs.mkdirs(dir.toString()).onSuccess(v -> {
      sweep();
      vertx.setPeriodic(SWEEP_EVERY_MS, t -> sweep());
    });
  }

  void mount(Router router) {
    router.options("/api/v1/uploads").handler(this::options);
    router.options("/api/v1/uploads/*").handler(this::options);
    router.post("/api/v1/uploads").handler(this::create);
    router.post("/api/v1/uploads/").handler(this::create);
    router.head("/api/v1/uploads/:upload").handler(this::head);
    router.patch("/api/v1/uploads/:upload").handler(this::patch);
    router.delete("/api/v1/uploads/:upload").handler(this::terminate);
  }

  private void options(RoutingContext ctx) {
    ctx.response().setStatusCode(204).putHeader("Tus-Resumable", VERSION).putHeader("Tus-Version", VERSION)
        .putHeader("Tus-Extension", EXTENSIONS).putHeader("Tus-Max-Size", Long.toString(maxSize)).end();
  }

  /** Every request but OPTIONS speaks tus 1.0.0: else 412 naming the version spoken here. */
  private boolean speaksTus(RoutingContext ctx) {
    if (VERSION.equals(ctx.request().getHeader("Tus-Resumable"))) {
      return true;
    }
    refuse(ctx, 412, "Tus-Resumable", "this server speaks tus " + VERSION + " (send Tus-Resumable: " + VERSION + ")");
    return false;
  }

  private void create(RoutingContext ctx) {
    if (!speaksTus(ctx)) {
      return;
    }
    HttpServerRequest request = ctx.request();
    request.pause();
    String declared = request.getHeader("Upload-Length");
    if (declared == null) {
      refuse(ctx, 400, "Upload-Length", request.getHeader("Upload-Defer-Length") != null
          ? "Upload-Defer-Length is not supported: give Upload-Length" : "Upload-Length is required");
      return;
    }
    if (!declared.matches("[0-9]{1,18}")) {
      refuse(ctx, 400, "Upload-Length", "Upload-Length must be a non-negative integer");
      return;
    }
    long length = Long.parseLong(declared);
    if (length > maxSize) {
      refuse(ctx, 413, "Upload-Length", "an upload may have at most " + maxSize + " bytes (tus.max_size_mb)");
      return;
    }
    JsonObject metadata;
    try {
      metadata = metadata(request.getHeader("Upload-Metadata"));
    } catch (IllegalArgumentException e) {
      refuse(ctx, 400, "Upload-Metadata", e.getMessage());
      return;
    }
    Long base;
    try {
      base = base(metadata);
    } catch (IllegalArgumentException e) {
      refuse(ctx, 400, "Upload-Metadata", e.getMessage());
      return;
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    long now = System.currentTimeMillis();
    JsonObject info = new JsonObject().put("id", id).put("length", length).put("metadata", metadata)
        .put("metadata_header", request.getHeader("Upload-Metadata")).put("knowledge_base_id", base)
        .put("created_ms", now).put("expires_ms", now + expireMs);
    Future<?> baseExists = base == null ? Future.succeededFuture()
        : Bus.request(vertx, Addresses.STORE_KB_GET, new JsonObject().put("id", base), 10_000);
    baseExists
        .compose(v -> fs.writeFile(part(id).toString(), Buffer.buffer()))
        .compose(v -> writeInfo(info))
        .onFailure(e -> fail(ctx, e))
        .onSuccess(v -> {
          digests.put(id, new Digest());
          HttpServerResponse response = ctx.response().setStatusCode(201).putHeader("Tus-Resumable", VERSION)
              .putHeader("Location", BASE + id).putHeader("Upload-Expires", HTTP_DATE.format(Instant.ofEpochMilli(now + expireMs)));
          boolean withBody = OFFSET_TYPE.equals(contentType(request)) && !"0".equals(request.getHeader("Content-Length"));
          if (!withBody) {
            response.putHeader("Upload-Offset", "0");
            if (length == 0) {
              complete(ctx, info, 0);
            } else {
              request.resume();
              response.end();
            }
            return;
          }
          append(ctx, info, 0);
        });
  }

  private void head(RoutingContext ctx) {
    if (!speaksTus(ctx)) {
      return;
    }
    String id = ctx.pathParam("upload");
    readInfo(id).compose(info -> offset(id, info).map(offset -> {
      HttpServerResponse response = ctx.response().setStatusCode(200).putHeader("Tus-Resumable", VERSION)
          .putHeader("Cache-Control", "no-store").putHeader("Upload-Offset", Long.toString(offset))
          .putHeader("Upload-Length", Long.toString(info.getLong("length")));
      if (info.getString("metadata_header") != null) {
        response.putHeader("Upload-Metadata", info.getString("metadata_header"));
      }
      if (info.getJsonObject("done") == null) {
        response.putHeader("Upload-Expires", HTTP_DATE.format(Instant.ofEpochMilli(info.getLong("expires_ms"))));
      } else {
        finished(response, info.getJsonObject("done"));
      }
      response.end();
      return null;
    })).onFailure(e -> fail(ctx, e));
  }

  private void patch(RoutingContext ctx) {
    if (!speaksTus(ctx)) {
      return;
    }
    HttpServerRequest request = ctx.request();
    request.pause();
    String id = ctx.pathParam("upload");
    if (!OFFSET_TYPE.equals(contentType(request))) {
      refuse(ctx, 415, "Content-Type", "a PATCH carries Content-Type: " + OFFSET_TYPE);
      return;
    }
    String claimed = request.getHeader("Upload-Offset");
    if (claimed == null || !claimed.matches("[0-9]{1,18}")) {
      refuse(ctx, 400, "Upload-Offset", "Upload-Offset must be a non-negative integer");
      return;
    }
    readInfo(id).onFailure(e -> fail(ctx, e)).onSuccess(info -> {
      if (info.getJsonObject("done") != null) {
        refuse(ctx, 409, "Upload-Offset", "upload " + id + " is complete");
        return;
      }
      if (busy.contains(id)) {
        refuse(ctx, 409, "Upload-Offset", "upload " + id + " is receiving another PATCH");
        return;
      }
      offset(id, info).onFailure(e -> fail(ctx, e)).onSuccess(offset -> {
        if (offset != Long.parseLong(claimed)) {
          ctx.response().putHeader("Upload-Offset", Long.toString(offset));
          refuse(ctx, 409, "Upload-Offset", "Upload-Offset " + claimed + " is not where upload " + id
              + " stands (" + offset + "); ask with HEAD");
          return;
        }
        append(ctx, info, offset);
      });
    });
  }

  /**
   * Streams the request body onto the upload's bytes from {@code offset}: back-pressured, hashed as it comes, cut
   * where the declared length ends. Whatever arrived stays, even if the client goes away (that is the point).
   */
  private void append(RoutingContext ctx, JsonObject info, long offset) {
    String id = info.getString("id");
    long length = info.getLong("length");
    HttpServerRequest request = ctx.request();
    busy.add(id);
    Digest digest = digests.get(id);
    if (digest != null && digest.bytes != offset) {
      digests.remove(id); // bytes came in while nobody hashed them (an earlier process): hashed from the file at the end
      digest = null;
    }
    Digest hashing = digest;
    long[] received = {offset};
    boolean[] tooLong = {false};
    fs.open(part(id).toString(), new OpenOptions().setWrite(true).setAppend(true).setCreate(false))
        .onFailure(e -> {
          busy.remove(id);
          fail(ctx, e);
        })
        .onSuccess(file -> {
          Promise<Void> ended = Promise.promise();
          request.handler(chunk -> {
            if (tooLong[0]) {
              return;
            }
            if (received[0] + chunk.length() > length) {
              tooLong[0] = true;
              chunk = chunk.slice(0, (int) (length - received[0]));
            }
            received[0] += chunk.length();
            if (hashing != null) {
              hashing.sha256.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
              hashing.bytes += chunk.length();
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
              request.pause();
              file.drainHandler(v -> request.resume());
            }
          });
          request.exceptionHandler(ended::tryFail);
          request.endHandler(v -> ended.tryComplete());
          ctx.response().closeHandler(v -> ended.tryFail("the client went away"));
          request.resume();
          ended.future()
              .transform(body -> file.flush().compose(v -> file.close()).transform(v -> Future.succeededFuture(body.succeeded())))
              .onComplete(whole -> {
                busy.remove(id);
                touch(info);
                if (!whole.result()) {
                  LOG.info("tus upload {}: the connection ended at byte {} of {}; it can go on from there", id,
                      received[0], length);
                  return;
                }
                if (tooLong[0]) {
                  ctx.response().putHeader("Upload-Offset", Long.toString(received[0]));
                  refuse(ctx, 413, "Upload-Length", "the body goes past the upload's declared length " + length);
                } else if (received[0] == length) {
                  complete(ctx, info, received[0]);
                } else {
                  ctx.response().setStatusCode("POST".equals(request.method().name()) ? 201 : 204)
                      .putHeader("Tus-Resumable", VERSION)
                      .putHeader("Upload-Offset", Long.toString(received[0]))
                      .putHeader("Upload-Expires", HTTP_DATE.format(Instant.ofEpochMilli(info.getLong("expires_ms")))).end();
                }
              });
        });
  }

  /** The last byte arrived: the file goes to ingest as a document of its base; the answer names it. */
  private void complete(RoutingContext ctx, JsonObject info, long size) {
    String id = info.getString("id");
    busy.add(id);
    Digest digest = digests.remove(id);
    Future<String> hash = digest != null && digest.bytes == size
        ? Future.succeededFuture(HexFormat.of().formatHex(digest.sha256.digest()))
        : vertx.executeBlocking(() -> hashFile(part(id)), false);
    JsonObject metadata = info.getJsonObject("metadata");
    String name = metadata.getString("filename", metadata.getString("name", "upload"));
    hash.compose(contentHash -> {
          JsonObject register = new JsonObject().put("files", new JsonArray().add(new JsonObject()
              .put("upload_path", part(id).toString()).put("file_name", name).put("size", size)
              .put("content_hash", contentHash)));
          if (info.getLong("knowledge_base_id") != null) {
            register.put("knowledge_base_id", info.getLong("knowledge_base_id"));
          }
          return Bus.request(vertx, Addresses.INGEST_REGISTER_UPLOADS, register, registerTimeoutMs);
        })
        .compose(created -> {
          JsonObject document = created.getJsonArray("documents").getJsonObject(0);
          JsonObject done = new JsonObject().put("task_id", created.getLong("task_id"))
              .put("document_id", document.getLong("id")).put("duplicate", document.getBoolean("duplicate", false));
          return writeInfo(info.put("done", done)).map(done);
        })
        .onComplete(ar -> busy.remove(id))
        .onFailure(e -> fail(ctx, e))
        .onSuccess(done -> {
          HttpServerResponse response = ctx.response().setStatusCode(ctx.request().method().name().equals("POST") ? 201 : 204)
              .putHeader("Tus-Resumable", VERSION).putHeader("Upload-Offset", Long.toString(size));
          finished(response, done);
          response.end();
        });
  }

  private static void finished(HttpServerResponse response, JsonObject done) {
    response.putHeader("Atrium-Task-Id", Long.toString(done.getLong("task_id")))
        .putHeader("Atrium-Document-Id", Long.toString(done.getLong("document_id")));
  }

  private void terminate(RoutingContext ctx) {
    if (!speaksTus(ctx)) {
      return;
    }
    String id = ctx.pathParam("upload");
    if (busy.contains(id)) {
      refuse(ctx, 409, "upload", "upload " + id + " is receiving a PATCH");
      return;
    }
    readInfo(id).compose(info -> remove(id)).onFailure(e -> fail(ctx, e))
        .onSuccess(v -> ctx.response().setStatusCode(204).putHeader("Tus-Resumable", VERSION).end());
  }

  /** Deletes unfinished uploads that saw no byte for tus.expire_s, and finished ones' records after as long. */
  private void sweep() {
    long now = System.currentTimeMillis();
    fs.readDir(dir.toString(), ".*\\.info\\.json").onSuccess(files -> files.forEach(file -> {
      String name = Path.of(file).getFileName().toString();
      String id = name.substring(0, name.length() - ".info.json".length());
      if (busy.contains(id)) {
        return;
      }
      readInfo(id).onSuccess(info -> {
        if (info.getLong("expires_ms", 0L) < now) {
          remove(id).onSuccess(v -> LOG.info("tus upload {} expired{}", id,
              info.getJsonObject("done") == null ? "; its bytes were deleted" : ""));
        }
      });
    }));
  }

  private Future<Void> remove(String id) {
    digests.remove(id);
    infos.remove(id);
    return fs.delete(part(id).toString()).otherwiseEmpty()
        .compose(v -> fs.delete(infoFile(id).toString())).otherwiseEmpty().mapEmpty();
  }

  private void touch(JsonObject info) {
    writeInfo(info.put("expires_ms", System.currentTimeMillis() + expireMs))
        .onFailure(e -> LOG.warn("tus upload {}: its record could not be written: {}", info.getString("id"), e.getMessage()));
  }

  private Future<Long> offset(String id, JsonObject info) {
    if (info.getJsonObject("done") != null) {
      return Future.succeededFuture(info.getLong("length"));
    }
    return fs.props(part(id).toString()).map(props -> props.size());
  }

  private Future<JsonObject> readInfo(String id) {
    if (!id.matches("[0-9a-f]{32}")) {
      return Future.failedFuture(ErrorCode.NOT_FOUND.exception("upload " + id + " does not exist", "upload"));
    }
    JsonObject known = infos.get(id);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return fs.readFile(infoFile(id).toString()).map(Buffer::toJsonObject)
        .onSuccess(read -> infos.putIfAbsent(id, read))
        .map(read -> infos.get(id))
        .recover(e -> Future.failedFuture(ErrorCode.NOT_FOUND.exception("upload " + id + " does not exist", "upload")));
  }

  /** Written beside and renamed over the record, so a reader (or a crash) never sees half of one. */
  private Future<Void> writeInfo(JsonObject info) {
    String id = info.getString("id");
    infos.put(id, info);
    String temporary = dir.resolve(id + "." + UUID.randomUUID() + ".tmp").toString();
    return fs.writeFile(temporary, info.toBuffer())
        .compose(v -> fs.move(temporary, infoFile(id).toString(), new io.vertx.core.file.CopyOptions()
            .setReplaceExisting(true).setAtomicMove(true)))
        .onFailure(e -> fs.delete(temporary));
  }

  private Path part(String id) {
    return dir.resolve(id + ".part");
  }

  private Path infoFile(String id) {
    return dir.resolve(id + ".info.json");
  }

  /** tus's Upload-Metadata: comma-separated {@code key base64value} pairs (a value may be absent). */
  static JsonObject metadata(String header) {
    JsonObject metadata = new JsonObject();
    if (header == null || header.isBlank()) {
      return metadata;
    }
    for (String pair : header.split(",")) {
      String[] parts = pair.strip().split(" ", 2);
      if (parts[0].isEmpty() || !parts[0].matches("[A-Za-z0-9_.-]{1,100}")) {
        throw new IllegalArgumentException("Upload-Metadata keys are ASCII names: got '" + parts[0] + "'");
      }
      try {
        metadata.put(parts[0], parts.length == 1 ? "" : new String(Base64.getDecoder().decode(parts[1].strip()),
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Upload-Metadata value of " + parts[0] + " is not base64");
      }
    }
    return metadata;
  }

  private static Long base(JsonObject metadata) {
    String value = metadata.getString("knowledge_base_id");
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!value.strip().matches("[0-9]{1,18}") || Long.parseLong(value.strip()) == 0) {
      throw new IllegalArgumentException("knowledge_base_id in Upload-Metadata must be a positive integer");
    }
    return Long.parseLong(value.strip());
  }

  private static String contentType(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    return type == null ? null : type.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
  }

  /** A refusal in atrium's error shape; the rest of the body is read and dropped so the client can read it. */
  private static void refuse(RoutingContext ctx, int status, String field, String message) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    drainRest(ctx.request());
    response.setStatusCode(status).putHeader("Tus-Resumable", VERSION).putHeader("Tus-Version", VERSION)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", new JsonObject().put("code", status).put("message", message)
            .put("field", field)).encode());
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    Failure failure = Failure.of(e);
    ctx.response().putHeader("Tus-Resumable", VERSION);
    drainRest(ctx.request());
    ctx.fail(e);
    LOG.debug("tus request failed: {}", failure.message());
  }

  /** The rest of a refused request's body is read and dropped, so the client reads the answer. */
  private static void drainRest(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.handler(dropped -> { }).resume();
    }
  }

  static String hashFile(Path file) throws java.io.IOException {
    MessageDigest digest = sha256();
    try (var in = java.nio.file.Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
