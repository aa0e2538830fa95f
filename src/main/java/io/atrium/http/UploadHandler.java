package io.atrium.http;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/documents/upload}: {@link UploadBody} has already streamed every file part to disk; this hands
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
    JsonArray files = new JsonArray();
    for (UploadBody.Part part : UploadBody.parts(ctx)) {
      files.add(new JsonObject()
          .put("upload_path", part.path().toString())
          .put("file_name", part.fileName())
          .put("size", part.size()));
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
