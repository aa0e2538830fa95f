package io.atrium.http;

import io.atrium.bus.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The first handler of every request: what a web page the user happens to open must not be able to do.
 * <ul>
 *   <li>A {@code Host} name that is neither loopback nor in {@code http.allowed_hosts} is refused, so a DNS-rebinding
 *   page (its own name resolving to 127.0.0.1) cannot talk to atrium as if it were same-origin. An IP address as
 *   Host is served: rebinding needs a name, and {@code http://192.168.1.5:8080} must keep working.</li>
 *   <li>A foreign {@code Origin} — not this server's own, not in {@code http.allowed_origins} — may not change
 *   anything (any method but GET, HEAD and OPTIONS), open a WebSocket or touch the event-bus bridge. Browsers send
 *   Origin on every cross-origin POST and WebSocket handshake, so a form, a fetch or a socket from another site ends
 *   here with a 403 before any route runs.</li>
 * </ul>
 * Clients that are not browsers (curl, host apps) send no Origin and pass.
 */
final class RequestGuard implements Handler<RoutingContext> {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final Set<String> allowedOrigins;
  private final Set<String> allowedHosts;

  RequestGuard(List<String> allowedOrigins, List<String> allowedHosts) {
    this.allowedOrigins = allowedOrigins.stream().map(RequestGuard::normalOrigin).collect(Collectors.toUnmodifiableSet());
    this.allowedHosts = allowedHosts.stream().map(RequestGuard::bareHost).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HostAndPort authority = request.authority();
    if (authority != null && !isServedHost(bareHost(authority.host()))) {
      ctx.fail(ErrorCode.FORBIDDEN.exception("Host '" + authority.host() + "' is not served here: atrium answers "
          + "loopback names, IP addresses and http.allowed_hosts", "Host"));
      return;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && needsOriginCheck(request) && !isAllowed(origin, authority)) {
      ctx.fail(ErrorCode.FORBIDDEN.exception("requests from the web page origin '" + origin + "' are not allowed "
          + "(only this server's own pages and http.allowed_origins)", "Origin"));
      return;
    }
    ctx.next();
  }

  /** Whether {@code origin} may drive atrium: its own pages, or one the operator allowed. */
  boolean isAllowed(String origin, HostAndPort authority) {
    String normal = normalOrigin(origin);
    if (allowedOrigins.contains(normal)) {
      return true;
    }
    return authority != null && normal.equals(normalOrigin("http://" + hostForUri(authority.host())
        + (authority.port() > 0 ? ":" + authority.port() : "")));
  }

  private static boolean needsOriginCheck(HttpServerRequest request) {
    return !SAFE.contains(request.method()) || request.path().startsWith("/eventbus")
        || "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
  }

  private boolean isServedHost(String host) {
    return isLoopback(host) || isIpLiteral(host) || allowedHosts.contains(host);
  }

  static boolean isIpLiteral(String host) {
    return host.contains(":") || IPV4.matcher(host).matches();
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
        || (host.startsWith("127.") && IPV4.matcher(host).matches());
  }

  /** scheme://host:port, lower-cased, with the scheme's default port written out; "null" and junk stay themselves. */
  static String normalOrigin(String origin) {
    String text = origin.strip().toLowerCase(Locale.ROOT);
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return text;
      }
      int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      return uri.getScheme() + "://" + bareHost(uri.getHost()) + ":" + port;
    } catch (Exception e) {
      return text;
    }
  }

  private static String bareHost(String host) {
    String lower = host.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
  }

  private static String hostForUri(String host) {
    String bare = bareHost(host);
    return bare.contains(":") ? "[" + bare + "]" : bare;
  }
}
