package io.atrium.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Which tokens and tickets open the API, and which configurations atrium refuses to start with. */
class ApiAccessTest {
  private static final String TOKEN = "0123456789abcdef0123";
  private static final String LAPTOP = "laptop-secret-0123456789";

  /** A clock the test moves by hand. */
  private static final class Hands extends Clock {
    Instant now = Instant.parse("2026-12-03T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final Hands clock = new Hands();

  private static JsonObject http(String host, String token, String tokens, boolean insecure) {
    return new JsonObject().put("host", host).put("api_token", token).put("api_tokens", tokens)
        .put("ticket_ttl_s", 60).put("insecure_no_auth", insecure);
  }

  private ApiAccess access(JsonObject http) {
    return ApiAccess.fromConfig(new ConfigSection("http", http), clock);
  }

  @Test
  void anOpenApiBeyondLoopbackRefusesToStartAndSaysHowToFixIt() {
    assertThatThrownBy(() -> access(http("0.0.0.0", "", "", false)))
        .hasMessageContaining("0.0.0.0").hasMessageContaining("ATRIUM_HTTP_API_TOKEN")
        .hasMessageContaining("http.insecure_no_auth");
    assertThatThrownBy(() -> access(http("192.168.1.5", "", "", false))).hasMessageContaining("no API token");
    for (String loopback : new String[] {"127.0.0.1", "localhost", "::1"}) {
      assertThat(access(http(loopback, "", "", false)).required()).as(loopback).isFalse();
    }
    ApiAccess insecure = access(http("0.0.0.0", "", "", true));
    assertThat(insecure.required()).isFalse();
    assertThat(insecure.insecure()).isTrue();
    assertThat(access(http("0.0.0.0", TOKEN, "", false)).required()).isTrue();
  }

  @Test
  void tokensThatAreNoSecretOrAmbiguousAreRefused() {
    assertThatThrownBy(() -> access(http("127.0.0.1", "short", "", false))).hasMessageContaining("at least 16");
    assertThatThrownBy(() -> access(http("127.0.0.1", "with a space 0123456789", "", false)))
        .hasMessageContaining("printable");
    assertThatThrownBy(() -> access(http("127.0.0.1", "", LAPTOP, false))).hasMessageContaining("name:token");
    assertThatThrownBy(() -> access(http("127.0.0.1", "", "a:" + LAPTOP + ",a:" + TOKEN, false)))
        .hasMessageContaining("used twice");
    assertThatThrownBy(() -> access(http("127.0.0.1", TOKEN, "default:" + LAPTOP, false)))
        .hasMessageContaining("http.api_token's");
    assertThatThrownBy(() -> access(http("127.0.0.1", "", "bad name:" + LAPTOP, false))).hasMessageContaining("letters");
  }

  @Test
  void aBearerHeaderNamesTheTokenItCarries() {
    ApiAccess access = access(http("127.0.0.1", TOKEN, "laptop:" + LAPTOP, false));
    assertThat(access.tokenNameOf("Bearer " + TOKEN)).isEqualTo("default");
    assertThat(access.tokenNameOf("bearer " + LAPTOP)).isEqualTo("laptop");
    assertThat(access.tokenNameOf("Bearer " + TOKEN + "x")).isNull();
    assertThat(access.tokenNameOf("Bearer " + TOKEN.substring(1))).isNull();
    assertThat(access.tokenNameOf("Basic " + TOKEN)).isNull();
    assertThat(access.tokenNameOf(TOKEN)).isNull();
    assertThat(access.tokenNameOf("Bearer ")).isNull();
    JsonObject described = access.describe();
    assertThat(described.getBoolean("required")).isTrue();
    assertThat(described.getJsonArray("tokens").getJsonObject(0).getLong("requests")).isEqualTo(1);
    assertThat(described.encode()).doesNotContain(TOKEN).doesNotContain(LAPTOP);
  }

  @Test
  void aTicketOpensWithinItsLifetimeUnalteredAndUnderATokenStillConfigured() {
    ApiAccess access = access(http("127.0.0.1", TOKEN, "laptop:" + LAPTOP, false));
    String ticket = access.issueTicket("laptop").getString("ticket");
    assertThat(access.checkTicket(ticket).tokenName()).isEqualTo("laptop");
    assertThat(ticket).doesNotContain(LAPTOP);

    String[] parts = ticket.split("\\.");
    String otherName = String.join(".", parts[0], "default", parts[2], parts[3], parts[4]);
    String laterExpiry = String.join(".", parts[0], parts[1], String.valueOf(Long.parseLong(parts[2]) + 3600), parts[3],
        parts[4]);
    for (String forged : new String[] {otherName, laterExpiry, ticket + "x", "t1.laptop", "", "garbage"}) {
      assertThat(access.checkTicket(forged).valid()).as(forged).isFalse();
    }

    clock.now = clock.now.plus(Duration.ofSeconds(59));
    assertThat(access.checkTicket(ticket).valid()).isTrue();
    clock.now = clock.now.plus(Duration.ofSeconds(1));
    assertThat(access.checkTicket(ticket).refusal()).contains("expired");

    ApiAccess rotated = access(http("127.0.0.1", TOKEN, "", false));
    clock.now = clock.now.minus(Duration.ofSeconds(30));
    assertThat(rotated.checkTicket(ticket).valid()).as("the laptop token was withdrawn").isFalse();
  }
}
