package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.atrium.fakes.FakeEmbeddingServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Vectors of different models are not comparable: switching the model re-embeds what was indexed with the old one. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class ModelChangeTest {

  @Test
  void switchingTheEmbeddingModelReembedsEveryResource(Vertx vertx, @TempDir Path dataDir) throws Exception {
    FakeEmbeddingServer embeddings = new FakeEmbeddingServer();
    int port = embeddings.start(vertx);
    Map<String, String> modelA = Map.of("ATRIUM_EMBED_PROVIDER", "openai",
        "ATRIUM_EMBED_REMOTE_BASE_URL", "http://127.0.0.1:" + port + "/v1", "ATRIUM_EMBED_REMOTE_MODEL", "model-a");
    AtriumHarness first = new AtriumHarness(vertx, dataDir).start(modelA);
    long id = first.upload(AtriumHarness.doc("office/testWORD.docx")).bodyAsJsonObject()
        .getJsonArray("resources").getJsonObject(0).getLong("resource_id");
    first.awaitStatus(id, Duration.ofMinutes(1), "done");
    assertThat(models(dataDir)).isEqualTo("remote:model-a");
    first.stop();

    Map<String, String> modelB = Map.of("ATRIUM_EMBED_PROVIDER", "openai",
        "ATRIUM_EMBED_REMOTE_BASE_URL", "http://127.0.0.1:" + port + "/v1", "ATRIUM_EMBED_REMOTE_MODEL", "model-b");
    AtriumHarness second;
    try (EventLog progress = EventLog.onBus(vertx, Addresses.EVENTS_PROGRESS)) {
      second = new AtriumHarness(vertx, dataDir).start(modelB);
      // the file is queued again at start, silently; its new run still ends with an announcement
      JsonObject ended = progress.await("the end of the file's run with model-b", Duration.ofMinutes(1),
          e -> e.getLong("resource_id") == id && List.of("done", "error").contains(e.getString("stage")));
      assertThat(ended.getString("stage")).as(ended.encode()).isEqualTo("done");
    }
    assertThat(models(dataDir)).isEqualTo("remote:model-b");
    // search follows the store's index changes on its own: a query sent the instant "done" is announced may come
    // before the new vectors are loaded, so allow it a moment (bounded) to catch up
    JsonArray results = new JsonArray();
    for (int attempt = 0; attempt < 100 && results.isEmpty(); attempt++) {
      if (attempt > 0) {
        Thread.sleep(100);
      }
      results = second.search(new JsonObject().put("query", "sample document").put("mode", "vector")).getJsonArray("results");
    }
    assertThat(results).as("vector results with model-b within 10 s").isNotEmpty();
  }

  private static String models(Path dataDir) throws Exception {
    Object models = HostDatabaseTest.row(dataDir.resolve("atrium.db"), "SELECT group_concat(DISTINCT model) AS m FROM chunk_vectors").get("m");
    return models == null ? null : models.toString();
  }
}
