package io.atrium.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.http.HttpClosedException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class ClientGoneFilterTest {
  private final LoggerContext context = new LoggerContext();
  private final ClientGoneFilter filter = new ClientGoneFilter();

  @Test
  void onlyTheBridgesReportOfAClientGoneAwayIsDropped() {
    var bridge = context.getLogger(ClientGoneFilter.BRIDGE_LOGGER);
    String message = ClientGoneFilter.BRIDGE_MESSAGE;
    assertThat(filter.decide(null, bridge, Level.ERROR, message, null, new SocketException("Connection reset")))
        .isEqualTo(FilterReply.DENY);
    assertThat(filter.decide(null, bridge, Level.ERROR, message, null, new HttpClosedException("Connection was closed")))
        .isEqualTo(FilterReply.DENY);
    // a failure that is not a client leaving, another message of the bridge, another logger: all kept
    assertThat(filter.decide(null, bridge, Level.ERROR, message, null, new IllegalStateException("bug")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, bridge, Level.ERROR, "other", null, new SocketException("Connection reset")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, context.getLogger("io.atrium.http.HttpVerticle"), Level.ERROR, message, null,
        new SocketException("Connection reset"))).isEqualTo(FilterReply.NEUTRAL);
  }
}
