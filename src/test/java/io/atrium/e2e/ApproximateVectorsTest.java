package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Above the exact-scan limit vectors are searched in Lucene's HNSW graph (here forced with vector_index: hnsw): the
 * nearest chunk is found, filters apply inside the graph search, a deleted resource is gone, and a restart opens the
 * graph instead of loading vectors into the heap.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class ApproximateVectorsTest {

  @Test
  void vectorsAreSearchedInTheHnswGraph(Vertx vertx, @TempDir Path dataDir) throws Exception {
    Map<String, String> hnsw = Map.of("ATRIUM_SEARCH_VECTOR_INDEX", "hnsw");
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(hnsw);
    long cooking = upload(atrium, dataDir, "cooking.txt", "Simmer the tomato sauce with garlic and basil for twenty minutes.");
    long astronomy = upload(atrium, dataDir, "astronomy.txt", "The telescope revealed the rings of Saturn and four of its moons.");
    long sailing = upload(atrium, dataDir, "sailing.txt", "Trim the jib and ease the mainsheet when the wind backs to the west.");

    JsonObject reply = vectors(atrium, "planets seen through a telescope", null);
    assertThat(reply.getJsonObject("engines").getString("vector")).isEqualTo("hnsw");
    assertThat(first(reply)).isEqualTo(astronomy);
    assertThat(first(vectors(atrium, "how to make pasta sauce", null))).isEqualTo(cooking);
    assertThat(resources(vectors(atrium, "planets seen through a telescope", new JsonArray().add(sailing))))
        .as("the filter applies inside the graph search").containsExactly(sailing);

    assertThat(atrium.client.delete(atrium.port, "127.0.0.1", "/api/v1/documents/" + astronomy).send().await().statusCode())
        .isEqualTo(200);
    assertThat(resources(vectors(atrium, "planets seen through a telescope", null))).doesNotContain(astronomy);
    atrium.stop();

    try (EventLog index = EventLog.onBus(vertx, Addresses.EVENTS_SEARCH_INDEX)) {
      AtriumHarness restarted = new AtriumHarness(vertx, dataDir).start(hnsw);
      try {
        JsonObject synced = index.await("the end of Lucene's start-up sync", Duration.ofSeconds(60),
            e -> List.of("ready", "error").contains(e.getString("status")));
        assertThat(synced.getString("status")).as(synced.encode()).isEqualTo("ready");
        assertThat(first(vectors(restarted, "how to make pasta sauce", null))).isEqualTo(cooking);
        assertThat(resources(vectors(restarted, "planets seen through a telescope", null))).doesNotContain(astronomy);
      } finally {
        restarted.stop();
      }
    }
  }

  private static long upload(AtriumHarness atrium, Path dir, String name, String text) throws Exception {
    return atrium.uploadIndexed(Files.writeString(dir.resolve(name), text)).getFirst();
  }

  private static JsonObject vectors(AtriumHarness atrium, String query, JsonArray resourceIds) {
    JsonObject request = new JsonObject().put("query", query).put("mode", "vector");
    if (resourceIds != null) {
      request.put("filters", new JsonObject().put("resource_ids", resourceIds));
    }
    return atrium.search(request);
  }

  private static long first(JsonObject reply) {
    assertThat(reply.getJsonArray("results")).isNotEmpty();
    return reply.getJsonArray("results").getJsonObject(0).getLong("resource_id");
  }

  private static List<Long> resources(JsonObject reply) {
    return reply.getJsonArray("results").stream().map(r -> ((JsonObject) r).getLong("resource_id")).distinct().toList();
  }
}
