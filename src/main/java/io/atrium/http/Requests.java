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

  /** A query parameter, as given, into a new body (absent: an empty body). */
  static JsonObject query(RoutingContext ctx, String field) {
    JsonObject body = new JsonObject();
    String value = ctx.request().getParam(field);
    if (value != null) {
      body.put(field, value);
    }
    return body;
  }

  /** Integer query parameters into {@code body}; one that is not an integer is a 400 naming it. */
  static JsonObject integers(RoutingContext ctx, JsonObject body, String... fields) {
    for (String field : fields) {
      String value = ctx.request().getParam(field);
      if (value != null) {
        try {
          body.put(field, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
          throw new HttpErrors.BadRequest(field + " must be an integer, got '" + value + "'", field);
        }
      }
    }
    return body;
  }
}
