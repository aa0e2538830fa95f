package io.atrium.http;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/documents/upload} (seed 004; into the default knowledge base unless a
 * {@code knowledge_base_id} form field names one) and {@code POST /api/v1/knowledge-bases/{kb}/documents}:
 * {@link UploadBody} has already streamed and hashed every file part; this hands the files to ingest and answers 202
 * with their ids before any parsing starts. Form fields: {@code task_id}, {@code on_duplicate} (skip, keep, replace).
 */
final class UploadHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final long timeoutMs;
  /** The knowledge-base route answers with documents; seed 004's with resources (and documents beside them). */
  private final boolean baseInPath;

  UploadHandler(Vertx vertx, long timeoutMs, boolean baseInPath) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.baseInPath = baseInPath;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonArray files = new JsonArray();
    for (UploadBody.Part part : UploadBody.parts(ctx)) {
      files.add(new JsonObject()
          .put("upload_path", part.path().toString())
          .put("file_name", part.fileName())
          .put("size", part.size())
          .put("content_hash", part.contentHash()));
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
    if (baseInPath) {
      request.put("knowledge_base_id", Requests.pathId(ctx, "kb"));
    } else {
      Long base = formLong(ctx, "knowledge_base_id");
      if (base != null) {
        request.put("knowledge_base_id", base);
      }
    }
    String callback = ctx.request().getFormAttribute("callback_url");
    if (callback != null && !callback.isBlank()) {
      JsonArray events = new JsonArray();
      String asked = ctx.request().getFormAttribute("callback_events");
      if (asked != null) {
        for (String event : asked.split(",")) {
          if (!event.isBlank()) {
            events.add(event.strip());
          }
        }
      }
      request.put("callback", new JsonObject().put("url", callback.strip()).put("events", events));
    }
    String onDuplicate = ctx.request().getFormAttribute("on_duplicate");
    if (onDuplicate != null) {
      request.put("on_duplicate", onDuplicate.strip());
    }
    Bus.request(vertx, Addresses.INGEST_REGISTER_UPLOADS, request, timeoutMs)
        .onSuccess(created -> {
          if (baseInPath) {
            created.remove("resources");
          }
          HttpVerticle.ok(ctx, 202, created);
        })
        .onFailure(ctx::fail);
  }

  private static Long formLong(RoutingContext ctx, String field) {
    String value = ctx.request().getFormAttribute(field);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long parsed = Long.parseLong(value.strip());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new HttpErrors.BadRequest(field + " must be a positive integer", field);
  }
}
