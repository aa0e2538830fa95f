package io.atrium.http;

import io.atrium.bus.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Knowledge bases and their documents, routed to {@code atrium.knowledge.*}: the checks of meaning are the knowledge
 * verticle's; this turns paths and query strings into request bodies. Lists take {@code limit} (1..200) and
 * {@code cursor} (a page's {@code next_cursor}).
 */
final class KnowledgeRoutes {
  private static final long TIMEOUT_MS = 30_000;
  /** Deleting a base deletes each of its documents first. */
  private static final long DELETE_TIMEOUT_MS = 600_000;

  private final Vertx vertx;

  KnowledgeRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router, JsonBody json, UploadBody upload, Handler<RoutingContext> uploadIntoBase) {
    router.get("/api/v1/knowledge-bases").handler(ctx -> forward(ctx, Addresses.KNOWLEDGE_BASE_LIST, page(ctx), 200));
    router.post("/api/v1/knowledge-bases").handler(json)
        .handler(ctx -> forward(ctx, Addresses.KNOWLEDGE_BASE_CREATE, Requests.jsonBody(ctx), 201));
    router.get("/api/v1/knowledge-bases/:kb").handler(ctx -> forward(ctx, Addresses.KNOWLEDGE_BASE_GET, base(ctx, "id"), 200));
    router.patch("/api/v1/knowledge-bases/:kb").handler(json).handler(ctx -> forward(ctx,
        Addresses.KNOWLEDGE_BASE_UPDATE, Requests.jsonBody(ctx).copy().put("id", Requests.pathId(ctx, "kb")), 200));
    router.delete("/api/v1/knowledge-bases/:kb").handler(ctx -> HttpVerticle.forward(vertx, ctx,
        Addresses.KNOWLEDGE_BASE_DELETE, base(ctx, "id"), 200, DELETE_TIMEOUT_MS));

    router.post("/api/v1/knowledge-bases/:kb/documents").handler(upload).handler(uploadIntoBase);
    router.get("/api/v1/knowledge-bases/:kb/documents").handler(ctx -> forward(ctx, Addresses.KNOWLEDGE_DOCUMENT_LIST,
        page(ctx).mergeIn(Requests.query(ctx, "status")).mergeIn(base(ctx, "knowledge_base_id")), 200));
    router.get("/api/v1/knowledge-bases/:kb/documents/:id").handler(ctx -> forward(ctx,
        Addresses.KNOWLEDGE_DOCUMENT_GET, document(ctx).mergeIn(base(ctx, "knowledge_base_id")), 200));
    router.delete("/api/v1/knowledge-bases/:kb/documents/:id").handler(ctx -> forward(ctx,
        Addresses.KNOWLEDGE_DOCUMENT_DELETE, document(ctx).mergeIn(base(ctx, "knowledge_base_id")), 200));

    router.get("/api/v1/documents").handler(ctx -> forward(ctx, Addresses.KNOWLEDGE_DOCUMENT_LIST,
        Requests.integers(ctx, page(ctx).mergeIn(Requests.query(ctx, "status")), "knowledge_base_id"), 200));
    router.get("/api/v1/documents/:id").handler(ctx -> forward(ctx, Addresses.KNOWLEDGE_DOCUMENT_GET, document(ctx), 200));
  }

  private static JsonObject page(RoutingContext ctx) {
    return Requests.integers(ctx, Requests.query(ctx, "cursor"), "limit");
  }

  private static JsonObject base(RoutingContext ctx, String field) {
    return new JsonObject().put(field, Requests.pathId(ctx, "kb"));
  }

  private static JsonObject document(RoutingContext ctx) {
    return new JsonObject().put("id", Requests.pathId(ctx, "id"));
  }

  private void forward(RoutingContext ctx, String address, JsonObject body, int status) {
    HttpVerticle.forward(vertx, ctx, address, body, status, TIMEOUT_MS);
  }
}
