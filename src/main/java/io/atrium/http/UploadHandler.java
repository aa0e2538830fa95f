package io.atrium.http;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/documents/upload}: the body handler has already streamed every file part to disk; this hands
 * the files to ingest and answers 202 with their resource ids before any parsing starts.
 */
final class UploadHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final long timeoutMs;

  UploadHandler(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("content-type");
    if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
      throw new HttpErrors.BadRequest("upload must be multipart/form-data with one or more file parts", "files");
    }
    JsonArray files = new JsonArray();
    for (FileUpload upload : ctx.fileUploads()) {
      files.add(new JsonObject()
          .put("upload_path", upload.uploadedFileName())
          .put("file_name", upload.fileName())
          .put("size", upload.size()));
    }
    if (files.isEmpty()) {
      throw new HttpErrors.BadRequest("no file parts in the upload", "files");
    }
    JsonObject request = new JsonObject().put("files", files);
    String taskId = ctx.request().getFormAttribute("task_id");
    if (taskId != null && !taskId.isBlank()) {
      try {
        request.put("task_id", Long.parseLong(taskId.trim()));
      } catch (NumberFormatException e) {
        throw new HttpErrors.BadRequest("task_id must be an integer", "task_id");
      }
    }
    Bus.request(vertx, Addresses.INGEST_REGISTER_UPLOADS, request, timeoutMs)
        .onSuccess(created -> HttpVerticle.ok(ctx, 202, created))
        .onFailure(ctx::fail);
  }
}
