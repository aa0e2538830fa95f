package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The newcomer's path: upload real documents, wait for done, find them by English and Chinese questions. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadAndSearchTest {
  AtriumHarness atrium;
  JsonArray uploaded;

  @BeforeAll
  void startAndUpload(Vertx vertx, @TempDir Path dataDir) {
    atrium = new AtriumHarness(vertx, dataDir).start();
    var response = atrium.upload(
        AtriumHarness.doc("pdf/tracemonkey.pdf"),
        AtriumHarness.doc("pdf/issue3521.pdf"),
        AtriumHarness.doc("epub/wasteland.epub"),
        AtriumHarness.doc("office/testWORD_various.docx"),
        AtriumHarness.doc("pdf/testOCR.pdf"));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    uploaded = response.bodyAsJsonObject().getJsonArray("resources");
    for (int i = 0; i < uploaded.size(); i++) {
      atrium.awaitStatus(uploaded.getJsonObject(i).getLong("resource_id"), Duration.ofMinutes(3), "done", "error");
    }
  }

  @Test
  void uploadAnswersWithOneResourcePerFileAndATask() {
    assertThat(uploaded).hasSize(5);
    List<String> names = uploaded.stream().map(r -> ((JsonObject) r).getString("file_name")).toList();
    assertThat(names).containsExactly("tracemonkey.pdf", "issue3521.pdf", "wasteland.epub", "testWORD_various.docx",
        "testOCR.pdf");
    assertThat(uploaded.getJsonObject(0).getLong("task_id")).isNotNull();
  }

  @Test
  void theStatusShowsAnUploadsPathInsideTheDataDirNotTheServersFolders() {
    JsonObject status = atrium.get("/ingest/status/" + uploaded.getJsonObject(0).getLong("resource_id")).bodyAsJsonObject();
    assertThat(status.getString("file_path")).startsWith("files/").endsWith("/tracemonkey.pdf")
        .doesNotContain(atrium.dataDir.toString());
  }

  @Test
  void everyUploadedDocumentIsIndexed() {
    for (int i = 0; i < uploaded.size(); i++) {
      JsonObject status = atrium.get("/ingest/status/" + uploaded.getJsonObject(i).getLong("resource_id")).bodyAsJsonObject();
      assertThat(status.getString("status")).as(status.encode()).isEqualTo("done");
      assertThat(status.getInteger("percentage")).isEqualTo(100);
      assertThat(status.getLong("chunk_count")).isPositive();
    }
  }

  @Test
  void englishQuestionFindsThePdfPassageWithItsPage() {
    JsonObject result = firstResult(new JsonObject().put("query", "trace-based just-in-time compilation of JavaScript"));
    assertThat(result.getLong("resource_id")).isEqualTo(idOf("tracemonkey.pdf"));
    JsonObject status = atrium.get("/ingest/status/" + idOf("tracemonkey.pdf")).bodyAsJsonObject();
    assertThat(result.getJsonObject("source").getString("file_path")).as("relative to the data dir, like the status")
        .isEqualTo(status.getString("file_path")).endsWith("tracemonkey.pdf");
    assertThat(result.getJsonObject("source").getInteger("page")).isNotNull().isPositive();
    assertThat(result.getString("highlight")).contains("<mark>");
  }

  @Test
  void chineseWordIsFoundInsideChineseText() {
    JsonObject result = firstResult(new JsonObject().put("query", "黑体"));
    assertThat(result.getLong("resource_id")).isEqualTo(idOf("issue3521.pdf"));
    assertThat(result.getString("text")).contains("黑体");
    assertThat(result.getJsonObject("match").getInteger("fts_rank")).isEqualTo(1);
  }

  @Test
  void epubAndDocxAreSearchable() {
    assertThat(firstResult(new JsonObject().put("query", "April is the cruellest month")).getLong("resource_id"))
        .isEqualTo(idOf("wasteland.epub"));
    JsonObject docx = firstResult(new JsonObject().put("query", "anything").put("filters",
        new JsonObject().put("file_type", "docx")));
    assertThat(docx.getLong("resource_id")).isEqualTo(idOf("testWORD_various.docx"));
  }

  @Test
  void anImageOnlyPdfIsReadThroughOcr() {
    JsonObject result = firstResult(new JsonObject().put("query", "Happy New Year").put("mode", "fts"));
    assertThat(result.getLong("resource_id")).isEqualTo(idOf("testOCR.pdf"));
  }

  @Test
  void dedupeFusionMergesBothListsWithoutRepeats() {
    JsonArray results = atrium.search(new JsonObject().put("query", "just-in-time compilation").put("fusion", "dedupe")
        .put("top_k", 20)).getJsonArray("results");
    List<Long> ids = results.stream().map(r -> ((JsonObject) r).getLong("chunk_id")).toList();
    assertThat(ids).isNotEmpty().doesNotHaveDuplicates();
    assertThat(results.getJsonObject(0).getLong("resource_id")).isEqualTo(idOf("tracemonkey.pdf"));
  }

  @Test
  void weightedFusionExplainsEachPartsRankAndScore() {
    JsonArray results = atrium.search(new JsonObject().put("query", "just-in-time compilation").put("fusion", "weighted")
        .put("weights", new JsonObject().put("vector", 0.5)).put("explain", true).put("top_k", 10)).getJsonArray("results");
    assertThat(results).isNotEmpty();
    assertThat(results.getJsonObject(0).getLong("resource_id")).isEqualTo(idOf("tracemonkey.pdf"));
    JsonObject both = results.stream().map(r -> ((JsonObject) r).getJsonObject("match"))
        .filter(m -> m.containsKey("fts_rank") && m.containsKey("vector_rank")).findFirst().orElseThrow();
    assertThat(both.getString("fusion")).isEqualTo("weighted");
    assertThat(both.getDouble("fts_score")).isPositive();
    assertThat(both.getDouble("vector_score")).isBetween(-1.0, 1.0);
    List<Double> scores = results.stream().map(r -> ((JsonObject) r).getDouble("score")).toList();
    assertThat(scores).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Test
  void filtersKeepOnlyMatchingResources() {
    JsonObject response = atrium.search(new JsonObject().put("query", "compilation").put("top_k", 50)
        .put("filters", new JsonObject().put("resource_ids", new JsonArray().add(idOf("wasteland.epub")))));
    assertThat(response.getJsonArray("results")).allSatisfy(r ->
        assertThat(((JsonObject) r).getLong("resource_id")).isEqualTo(idOf("wasteland.epub")));
  }

  private JsonObject firstResult(JsonObject request) {
    JsonArray results = atrium.search(request).getJsonArray("results");
    assertThat(results).as("results for " + request.encode()).isNotEmpty();
    return results.getJsonObject(0);
  }

  private long idOf(String fileName) {
    return uploaded.stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("file_name").equals(fileName)).findFirst().orElseThrow().getLong("resource_id");
  }
}
