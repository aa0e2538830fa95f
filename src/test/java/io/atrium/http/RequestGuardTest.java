package io.atrium.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.HostAndPort;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which origins and hosts the guard lets through, decided the way a browser compares origins. */
class RequestGuardTest {
  private final RequestGuard guard = new RequestGuard(List.of("HTTP://Console.Example:3000", "https://app.example"),
      List.of("nas.lan"));

  @Test
  void anOriginIsItsSchemeHostAndPortWithTheDefaultPortWrittenOut() {
    assertThat(RequestGuard.normalOrigin("http://127.0.0.1")).isEqualTo("http://127.0.0.1:80");
    assertThat(RequestGuard.normalOrigin("https://App.Example/")).isEqualTo("https://app.example:443");
    assertThat(RequestGuard.normalOrigin("null")).isEqualTo("null");
  }

  @Test
  void theServersOwnPagesAndNamedOriginsAreAllowedNothingElse() {
    HostAndPort self = HostAndPort.authority("127.0.0.1", 8080);
    assertThat(guard.isAllowed("http://127.0.0.1:8080", self)).isTrue();
    assertThat(guard.isAllowed("http://console.example:3000", self)).isTrue();
    assertThat(guard.isAllowed("https://app.example:443", self)).isTrue();
    assertThat(guard.isAllowed("http://localhost:8080", self)).as("another origin, though the same machine").isFalse();
    assertThat(guard.isAllowed("https://127.0.0.1:8080", self)).as("another scheme").isFalse();
    assertThat(guard.isAllowed("null", self)).as("a sandboxed frame or a file page").isFalse();
    assertThat(guard.isAllowed("http://evil.example", self)).isFalse();
    assertThat(guard.isAllowed("http://[::1]:8080", HostAndPort.authority("[::1]", 8080))).isTrue();
  }

  @Test
  void loopbackNamesAndIpAddressesAreHostsThatCannotBeRebound() {
    assertThat(RequestGuard.isLoopback("localhost")).isTrue();
    assertThat(RequestGuard.isLoopback("127.0.0.2")).isTrue();
    assertThat(RequestGuard.isLoopback("::1")).isTrue();
    assertThat(RequestGuard.isIpLiteral("192.168.1.5")).isTrue();
    assertThat(RequestGuard.isIpLiteral("fe80::1")).isTrue();
    assertThat(RequestGuard.isIpLiteral("127.0.0.1.evil.example")).isFalse();
    assertThat(RequestGuard.isLoopback("localhost.evil.example")).isFalse();
    assertThat(RequestGuard.isLoopback("127.evil.example")).as("a name the attacker owns").isFalse();
  }
}
