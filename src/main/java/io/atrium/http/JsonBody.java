package io.atrium.http;

import io.atrium.bus.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;

/**
 * The body handler of the JSON endpoints: the request must say {@code Content-Type: application/json} (415
 * otherwise), then its body is read up to the limit. A browser sends a cross-site request without asking first only
 * for text/plain, forms and multipart, so requiring JSON keeps such "simple" requests away from every JSON endpoint.
 */
final class JsonBody implements Handler<RoutingContext> {
  private final BodyHandler body;

  JsonBody(long limitBytes) {
    this.body = BodyHandler.create(false).setBodyLimit(limitBytes);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (!isJson(type)) {
      ctx.fail(ErrorCode.UNSUPPORTED_MEDIA_TYPE.exception("this endpoint takes a JSON body: send Content-Type: "
          + "application/json" + (type == null ? "" : " (got '" + type + "')"), "Content-Type"));
      return;
    }
    body.handle(ctx);
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
  }
}
