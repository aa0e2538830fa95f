package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Seed 004's GET /api/v1/health: each dependency with its state and latency; one that does not answer degrades it. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class HealthTest {

  @Test
  void healthNamesEachDependencyWithItsLatencyAndSaysDegradedWhenOneDoesNotAnswer(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    JsonObject health = atrium.get("/api/v1/health").bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getString("version")).isNotBlank();
    JsonObject dependencies = health.getJsonObject("dependencies");
    for (String part : List.of("store", "store_readers", "embedder", "search", "parser", "sessions")) {
      JsonObject dependency = dependencies.getJsonObject(part);
      assertThat(dependency).as(part).isNotNull();
      assertThat(dependency.getString("status")).as(part).isEqualTo("ok");
      assertThat(dependency.getDouble("latency_ms")).as(part).isNotNegative();
    }
    assertThat(dependencies.getJsonObject("embedder").getString("model")).isNotBlank();
    assertThat(atrium.get("/health").bodyAsJsonObject().fieldNames()).as("the same on /health").containsAll(health.fieldNames());

    // a second consumer on the readers' ping address that never answers: the requests it gets time out
    MessageConsumer<JsonObject> silent = vertx.eventBus().consumer(Addresses.STORE_READ_PING, message -> { });
    try {
      JsonObject degraded = null;
      for (int i = 0; i < 10 && degraded == null; i++) {
        JsonObject read = atrium.get("/api/v1/health").bodyAsJsonObject();
        if ("degraded".equals(read.getString("status"))) {
          degraded = read;
        }
      }
      assertThat(degraded).as("round-robin sends one of ten requests to the silent consumer").isNotNull();
      assertThat(degraded.getJsonObject("dependencies").getJsonObject("store_readers").getString("status")).isEqualTo("down");
      assertThat(degraded.getJsonObject("dependencies").getJsonObject("store_readers").getString("error")).isNotBlank();
    } finally {
      silent.unregister().await();
    }
  }
}
