package io.atrium.http;

import io.atrium.bus.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * When a token is configured, every request carries it ({@code Authorization: Bearer}); a WebSocket upgrade or an
 * event-bus bridge request may carry a ticket instead ({@code ?ticket=}, from {@code POST /api/v1/auth/ticket}),
 * since a browser cannot set a header on a socket. Anything else is a 401 before any route runs. Runs after the
 * {@link RequestGuard} and CORS, so a preflight (which never carries credentials) is answered first.
 */
final class Authentication implements Handler<RoutingContext> {
  /** RoutingContext key (not a bus address): the name of the token a request was authenticated with. */
  static final String TOKEN_NAME = "tokenName";

  private final ApiAccess access;

  Authentication(ApiAccess access) {
    this.access = access;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!access.required()) {
      ctx.next();
      return;
    }
    HttpServerRequest request = ctx.request();
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    boolean socket = opensSocket(request);
    if (authorization != null) {
      String name = access.tokenNameOf(authorization);
      if (name == null) {
        refuse(ctx, "the Authorization header does not carry a token this server knows (Bearer <http.api_token>)",
            "Authorization");
        return;
      }
      ctx.put(TOKEN_NAME, name);
      ctx.next();
      return;
    }
    String ticket = socket ? request.getParam("ticket") : null;
    if (ticket != null) {
      ApiAccess.TicketCheck check = access.checkTicket(ticket);
      if (!check.valid()) {
        refuse(ctx, check.refusal(), "ticket");
        return;
      }
      ctx.put(TOKEN_NAME, check.tokenName());
      ctx.next();
      return;
    }
    refuse(ctx, socket
        ? "this server needs a ticket: ?ticket= from POST /api/v1/auth/ticket (or an Authorization: Bearer header)"
        : "this server needs an API token: Authorization: Bearer <http.api_token>", socket ? "ticket" : "Authorization");
  }

  /** WebSocket handshakes and the SockJS bridge's requests: what a browser opens without being able to set headers. */
  private static boolean opensSocket(HttpServerRequest request) {
    return request.path().startsWith("/eventbus/") || request.path().equals("/eventbus")
        || "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
  }

  private static void refuse(RoutingContext ctx, String message, String field) {
    ctx.response().putHeader("www-authenticate", "Bearer realm=\"atrium\"");
    ctx.fail(ErrorCode.UNAUTHORIZED.exception(message, field));
  }
}
