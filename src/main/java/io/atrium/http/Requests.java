package io.atrium.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Reading and checking request input; failures become 400s naming the field. */
final class Requests {
  private Requests() {
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
      throw new HttpErrors.BadRequest("a JSON object body is required", null);
    }
    Object value;
    try {
      value = Json.decodeValue(ctx.body().buffer());
    } catch (DecodeException e) {
      throw new HttpErrors.BadRequest("the body is not valid JSON", null);
    }
    if (!(value instanceof JsonObject json)) {
      throw new HttpErrors.BadRequest("the body must be a JSON object", null);
    }
    return json;
  }

  static long pathId(RoutingContext ctx, String name) {
    String text = ctx.pathParam(name);
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new HttpErrors.BadRequest(name + " must be a positive integer, got '" + text + "'", name);
  }

  static long positiveLong(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
      throw new HttpErrors.BadRequest(field + " must be a positive integer", field);
    }
    return ((Number) value).longValue();
  }

  static String oneOf(JsonObject body, String field, Set<String> allowed) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || !allowed.contains(text)) {
      throw new HttpErrors.BadRequest(field + " must be one of " + allowed, field);
    }
    return text;
  }
}
