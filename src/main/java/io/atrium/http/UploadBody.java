package io.atrium.http;

import io.atrium.bus.ErrorCode;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads a multipart upload for {@link UploadHandler}: each file part streams to disk into a folder of the request's
 * own under uploads-tmp, once its part number and file name are checked, and the folder goes when the exchange ends,
 * however it ends: answered, refused, failed, or the client gone mid-body. A refusal is answered at once and the rest
 * of the body is read and dropped, so the client can read it. (vertx-web's BodyHandler is not used here: its clean-up
 * in 5.0 throws at the first part whose file is just closing and leaves the others.)
 */
final class UploadBody implements Handler<RoutingContext> {
  /** A file part on disk, with the SHA-256 of its bytes (hex), taken as they streamed by. */
  record Part(String fileName, Path path, long size, String contentHash) {
  }

  private static final String PARTS = "uploadParts";

  private final Vertx vertx;
  private final Path tmpDir;
  private final HttpSettings.UploadLimits limits;

  UploadBody(Vertx vertx, String tmpDir, HttpSettings.UploadLimits limits) {
    this.vertx = vertx;
    this.tmpDir = Path.of(tmpDir);
    this.limits = limits;
  }

  /** The file parts of an upload this handler read, in the order they came. */
  static List<Part> parts(RoutingContext ctx) {
    return ctx.get(PARTS);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new HttpErrors.BadRequest("upload must be multipart/form-data with one or more file parts", "files");
    }
    new Reception(ctx, new UploadFolder(vertx.fileSystem(), tmpDir.resolve(UUID.randomUUID().toString()))).start();
  }

  /** One request being read. */
  private final class Reception {
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final UploadFolder folder;
    private final List<Future<Part>> parts = new ArrayList<>();
    private long bytes;
    private boolean refused;

    Reception(RoutingContext ctx, UploadFolder folder) {
      this.ctx = ctx;
      this.request = ctx.request();
      this.folder = folder;
    }

    void start() {
      request.pause(); // routing got here in the task that read the head: no body byte was handed out yet
      ctx.addEndHandler(v -> folder.discard());
      request.setExpectMultipart(true);
      request.exceptionHandler(this::failed);
      request.handler(this::count);
      request.uploadHandler(this::accept);
      request.endHandler(v -> received());
      String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
      if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > limits.maxBytes()) {
        refuse(tooLarge());
      } else if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
        ctx.response().writeContinue();
      }
      // the body is read once the folder exists (or, refused, to drop the rest)
      folder.create().onFailure(this::refuse).onComplete(v -> request.resume());
    }

    private void count(Buffer chunk) {
      bytes += chunk.length();
      if (bytes > limits.maxBytes()) {
        refuse(tooLarge());
      }
    }

    private void accept(HttpServerFileUpload upload) {
      int index = parts.size() + 1;
      if (!refused && index > limits.maxParts()) {
        refuse(tooManyParts());
      } else if (!refused && upload.filename().codePointCount(0, upload.filename().length()) > limits.maxFilenameChars()) {
        refuse(ErrorCode.INVALID_REQUEST.exception("the file name of part " + index + " is longer than "
            + limits.maxFilenameChars() + " characters (http.upload_max_filename_chars)", upload.name()));
      }
      if (refused) {
        upload.handler(dropped -> { }).resume();
        return;
      }
      upload.pause(); // until its file is open
      MessageDigest digest = sha256();
      parts.add(folder.open(index).compose(file -> write(upload, file, digest))
          .map(size -> new Part(upload.filename(), folder.path(index), size, HexFormat.of().formatHex(digest.digest()))));
    }

    /**
     * Streams one part into its file with back-pressure, hashing it on the way (so a duplicate is known when the
     * last byte arrives, without reading the file again); once the upload is refused its bytes are dropped.
     */
    private Future<Long> write(HttpServerFileUpload upload, AsyncFile file, MessageDigest digest) {
      Promise<Long> written = Promise.promise();
      long[] size = {0};
      upload.handler(chunk -> {
        if (refused) {
          return;
        }
        size[0] += chunk.length();
        digest.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
        file.write(chunk);
        if (file.writeQueueFull()) {
          upload.pause();
          file.drainHandler(v -> upload.resume());
        }
      });
      upload.exceptionHandler(e -> folder.close(file).onComplete(v -> written.tryFail(e)));
      upload.endHandler(v -> folder.close(file).onSuccess(closed -> written.tryComplete(size[0]))
          .onFailure(written::tryFail));
      upload.resume();
      return written.future();
    }

    private void received() {
      if (refused) {
        return;
      }
      Future.all(parts).onSuccess(done -> {
        ctx.put(PARTS, done.<Part>list());
        ctx.next();
      }).onFailure(this::refuse);
    }

    /** The multipart decoder's own limits and complaints, and a client that went away. */
    private void failed(Throwable e) {
      if (e instanceof HttpClosedException) {
        refused = true; // nobody to answer; the end handler removes the folder
      } else if (e instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
        refuse(tooManyParts());
      } else if (e instanceof HttpPostRequestDecoder.TooLongFormFieldException) {
        refuse(ErrorCode.INVALID_REQUEST.exception("a part's headers or a form field are longer than allowed (a file "
            + "name may have at most " + limits.maxFilenameChars() + " characters)", "files"));
      } else if (e instanceof HttpPostRequestDecoder.ErrorDataDecoderException) {
        refuse(ErrorCode.INVALID_REQUEST.exception("the multipart body cannot be read", "files"));
      } else {
        refuse(e);
      }
    }

    private void refuse(Throwable failure) {
      if (!refused) {
        refused = true;
        ctx.fail(failure);
      }
    }

    private Throwable tooManyParts() {
      return ErrorCode.TOO_LARGE.exception("an upload may have at most " + limits.maxParts()
          + " parts, files and fields (http.upload_max_parts)", "files");
    }

    private Throwable tooLarge() {
      return ErrorCode.TOO_LARGE.exception("an upload may have at most " + limits.maxBytes() / (1024 * 1024)
          + " MB (http.upload_limit_mb)", "files");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
