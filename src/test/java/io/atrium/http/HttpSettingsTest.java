package io.atrium.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.app.AtriumConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {
  private final JsonObject defaults = AtriumConfig.defaults();

  @Test
  void routesThatWaitOnAModelWaitForEveryChatAttemptAndRetryWait() {
    JsonObject config = new JsonObject()
        .put("http", defaults.getJsonObject("http"))
        .put("chat", defaults.getJsonObject("chat").copy().put("timeout_ms", 1_000).put("max_attempts", 2)
            .put("max_retry_wait_ms", 500))
        .put("agent", defaults.getJsonObject("agent").copy().put("max_attempts", 3))
        .put("sessions", defaults.getJsonObject("sessions").copy().put("max_run_s", 60).put("max_queued", 2));

    HttpSettings settings = HttpSettings.fromJson(config);

    long chat = 2 * 1_000 + 500 + 30_000;
    assertThat(settings.chatTimeoutMs()).isEqualTo(chat);
    assertThat(settings.agentTimeoutMs()).isEqualTo(3 * chat + 30_000);
    assertThat(settings.mediaTimeoutMs()).isEqualTo(chat + 120_000);
    assertThat(settings.sessionInputTimeoutMs()).as("an input waits for the two queued before it, then runs")
        .isEqualTo(3 * 60_000 + 60_000);
  }

  @Test
  void withoutTheChatSectionHttpRefusesToStartNamingIt() {
    JsonObject config = new JsonObject().put("http", defaults.getJsonObject("http")).put("agent", defaults.getJsonObject("agent"));

    assertThatThrownBy(() -> HttpSettings.fromJson(config)).hasMessageContaining("chat");
  }
}
