package io.atrium.http;

import io.atrium.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** The media organiser's API (seed 003 / issue 4): scan, list, inspect, retry, correct and dry-run recognition. */
final class MediaRoutes {
  private static final Set<String> STATUSES = Set.of("PENDING", "PROCESSING", "COMPLETED", "FAILED", "CONFLICT");

  private final Vertx vertx;
  private final long timeoutMs;

  MediaRoutes(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void mount(Router router, JsonBody json) {
    router.post("/api/v1/media/scan").handler(ctx -> forward(ctx, Addresses.MEDIA_SCAN, new JsonObject(), 200));
    router.get("/api/v1/media/files").handler(this::list);
    router.get("/api/v1/media/files/:id").handler(ctx -> forward(ctx, Addresses.MEDIA_GET, id(ctx), 200));
    router.post("/api/v1/media/files/:id/retry").handler(ctx -> forward(ctx, Addresses.MEDIA_RETRY, id(ctx), 200));
    router.post("/api/v1/media/files/:id/match").handler(json)
        .handler(ctx -> forward(ctx, Addresses.MEDIA_MATCH, Requests.jsonBody(ctx).copy().put("id", Requests.pathId(ctx, "id")), 200));
    router.post("/api/v1/media/recognize").handler(json)
        .handler(ctx -> forward(ctx, Addresses.MEDIA_RECOGNIZE, Requests.jsonBody(ctx), 200));
  }

  private void list(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    String status = ctx.request().getParam("status");
    if (status != null) {
      if (!STATUSES.contains(status.toUpperCase())) {
        throw new HttpErrors.BadRequest("status must be one of " + STATUSES, "status");
      }
      query.put("status", status.toUpperCase());
    }
    for (String field : new String[] {"limit", "offset"}) {
      String value = ctx.request().getParam(field);
      if (value != null) {
        try {
          query.put(field, Integer.parseInt(value));
        } catch (NumberFormatException e) {
          throw new HttpErrors.BadRequest(field + " must be an integer", field);
        }
      }
    }
    forward(ctx, Addresses.MEDIA_LIST, query, 200);
  }

  private static JsonObject id(RoutingContext ctx) {
    return new JsonObject().put("id", Requests.pathId(ctx, "id"));
  }

  private void forward(RoutingContext ctx, String address, JsonObject body, int status) {
    HttpVerticle.forward(vertx, ctx, address, body, status, timeoutMs);
  }
}
