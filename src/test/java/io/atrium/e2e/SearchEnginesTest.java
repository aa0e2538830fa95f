package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The full-text engine contract, run against both engines (SQLite FTS5 and Lucene) over HTTP: stems, Chinese words
 * of two and four characters, filters applied inside the engine (a rare match is found even when other tasks fill
 * every candidate slot), deletes reaching every engine, and bad queries refused.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchEnginesTest {
  AtriumHarness atrium;
  long english;
  long chinese;
  long rareZebra;
  long rareZebraTask;
  long platypus;
  final List<Long> zebraHerd = new ArrayList<>();

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dataDir, @TempDir Path files) throws IOException {
    // few candidates per engine, so twelve strong "zebra" files of another task would crowd out a post-filter
    atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_SEARCH_CANDIDATES", "5"));
    english = atrium.uploadIndexed(write(files, "fox.txt", "The quick brown foxes were running over the lazy dogs in the meadow.")).getFirst();
    chinese = atrium.uploadIndexed(write(files, "company.txt", "这家公司专注于深度学习技术的研究，员工来自世界各地。")).getFirst();
    platypus = atrium.uploadIndexed(write(files, "platypus.txt", "The platypus lays eggs although it is a mammal.")).getFirst();
    List<Path> herd = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      herd.add(write(files, "herd-" + i + ".txt", "zebra zebra zebra zebra: the zebra herd number " + i + " crossed the river."));
    }
    zebraHerd.addAll(atrium.uploadIndexed(herd.toArray(Path[]::new)));
    JsonObject rare = atrium.upload(write(files, "rare.txt", "A single zebra appears in this long note about gardening, "
        + "tomatoes, compost, watering schedules and the weather of the coming spring.")).bodyAsJsonObject();
    rareZebra = rare.getJsonArray("resources").getJsonObject(0).getLong("resource_id");
    rareZebraTask = rare.getJsonArray("resources").getJsonObject(0).getLong("task_id");
    atrium.awaitStatus(rareZebra, Duration.ofMinutes(2), "done");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fts5", "lucene"})
  void anEnglishWordIsFoundByItsStem(String engine) {
    assertThat(resources(fullText(engine, "run fox"))).containsExactly(english);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fts5", "lucene"})
  void chineseWordsOfTwoAndFourCharactersAreFound(String engine) {
    assertThat(resources(fullText(engine, "公司"))).containsExactly(chinese);
    assertThat(resources(fullText(engine, "深度学习"))).containsExactly(chinese);
    assertThat(resources(fullText(engine, "那家公司做什么研究？"))).first().isEqualTo(chinese);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fts5", "lucene"})
  void filtersApplyInsideTheEngineSoARareMatchIsFound(String engine) {
    JsonObject unfiltered = fullText(engine, "zebra");
    assertThat(resources(unfiltered)).as("the herd fills every candidate slot").doesNotContain(rareZebra);

    JsonObject byTask = atrium.search(new JsonObject().put("query", "zebra").put("mode", "fts").put("engine", engine)
        .put("filters", new JsonObject().put("task_id", rareZebraTask)));
    assertThat(resources(byTask)).containsExactly(rareZebra);

    JsonObject filters = new JsonObject().put("resource_ids", new JsonArray().add(rareZebra).add(english));
    JsonObject byResources = atrium.search(new JsonObject().put("query", "zebra").put("mode", "fts").put("engine", engine)
        .put("filters", filters));
    assertThat(resources(byResources)).containsExactly(rareZebra);
    JsonObject hybrid = atrium.search(new JsonObject().put("query", "zebra").put("engine", engine).put("filters", filters));
    assertThat(resources(hybrid)).startsWith(rareZebra).isSubsetOf(rareZebra, english);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fts5", "lucene"})
  void theReplySaysWhichEnginesAnswered(String engine) {
    JsonObject reply = atrium.search(new JsonObject().put("query", "platypus").put("engine", engine));
    assertThat(reply.getJsonObject("engines")).isEqualTo(new JsonObject().put("full_text", engine).put("vector", "exact"));
  }

  @Test
  void theDefaultEngineIsLucene() {
    assertThat(atrium.search(new JsonObject().put("query", "platypus")).getJsonObject("engines").getString("full_text"))
        .isEqualTo("lucene");
  }

  @Test
  void healthSaysWhichEnginesAnswer() {
    JsonObject health = atrium.get("/health").bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getJsonObject("search").getString("full_text")).isEqualTo("lucene");
    assertThat(health.getJsonObject("search").getString("vector_index")).isEqualTo("exact");
    assertThat(health.getJsonObject("search").getJsonObject("lucene"))
        .isEqualTo(new JsonObject().put("ready", true).put("state", "ready"));
  }

  @Test
  void aDeletedResourceIsGoneFromEveryEngine() {
    long doomed = atrium.uploadIndexed(writeUnchecked("doomed-okapi.txt",
        "The okapi is a giraffid that lives in the Ituri rainforest.")).getFirst();
    for (String engine : List.of("fts5", "lucene")) {
      assertThat(resources(fullText(engine, "okapi giraffid"))).contains(doomed);
    }
    assertThat(resources(atrium.search(new JsonObject().put("query", "okapi giraffid rainforest").put("mode", "vector"))))
        .contains(doomed);

    assertThat(atrium.client.delete(atrium.port, "127.0.0.1", "/api/v1/documents/" + doomed).send().await().statusCode())
        .isEqualTo(200);

    for (String engine : List.of("fts5", "lucene")) {
      assertThat(resources(fullText(engine, "okapi giraffid"))).as(engine).doesNotContain(doomed);
      assertThat(resources(atrium.search(new JsonObject().put("query", "okapi giraffid rainforest").put("engine", engine))))
          .as(engine + " hybrid").doesNotContain(doomed);
    }
    assertThat(resources(atrium.search(new JsonObject().put("query", "okapi giraffid rainforest").put("mode", "vector"))))
        .doesNotContain(doomed);
  }

  @Test
  void badQueriesAreRefusedWithTheReason() {
    assertRefused(new JsonObject().put("query", "   "), "query");
    assertRefused(new JsonObject().put("query", "?!… —— ，。"), "query");
    assertRefused(new JsonObject().put("query", "x".repeat(2001)), "query");
    assertRefused(new JsonObject().put("query", "zebra").put("engine", "elastic"), "engine");
    assertRefused(new JsonObject().put("query", "zebra").put("engine", 7), "engine");
    assertRefused(new JsonObject().put("query", "zebra").put("filters", new JsonObject().put("task_id", "seven")), "filters.task_id");
  }

  private void assertRefused(JsonObject request, String field) {
    var response = atrium.post("/search/hybrid", request);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.bodyAsString()).contains(field);
  }

  private JsonObject fullText(String engine, String query) {
    return atrium.search(new JsonObject().put("query", query).put("mode", "fts").put("engine", engine));
  }

  private static List<Long> resources(JsonObject reply) {
    return reply.getJsonArray("results").stream().map(r -> ((JsonObject) r).getLong("resource_id")).distinct().toList();
  }

  private Path scratch;

  private Path write(Path dir, String name, String text) throws IOException {
    scratch = dir;
    return Files.writeString(dir.resolve(name), text);
  }

  private Path writeUnchecked(String name, String text) {
    try {
      return write(scratch, name, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
