package io.atrium.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import org.slf4j.Marker;

/**
 * Drops the ERROR and stack trace vertx-web's SockJS bridge logs whenever a client leaves without closing its socket
 * (a closed tab, a lost network: "Connection reset", "Connection was closed"). The bridge logs every socket exception
 * itself before any handler of ours sees it, and lets no one replace that handler (vert-x3/vertx-web#2001), so this
 * filter, named in logback.xml, is the one place to tell a client going away from a failure. Any other exception
 * the bridge logs is kept.
 */
public final class ClientGoneFilter extends TurboFilter {
  static final String BRIDGE_LOGGER = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";
  static final String BRIDGE_MESSAGE = "SockJSSocket exception";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    boolean clientGone = t instanceof IOException || t instanceof HttpClosedException;
    return clientGone && BRIDGE_LOGGER.equals(logger.getName()) && BRIDGE_MESSAGE.equals(format)
        ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
