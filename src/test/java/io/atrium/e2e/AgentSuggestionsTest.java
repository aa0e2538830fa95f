package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.fakes.FakeLlmServer;
import io.atrium.fakes.LlmFixtures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * /agent/decompose, /agent/tag and /search/rerank against a fake OpenAI server whose answers are the recorded
 * chat-completion response with the model's text replaced: valid output is stored normalised, invalid output is
 * sent back once with the reason and repaired, hopeless output ends the suggestion in error with nothing stored.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentSuggestionsTest {
  FakeLlmServer fake;
  AtriumHarness atrium;
  long resourceId;
  long otherResourceId;

  @BeforeAll
  void startAndUpload(Vertx vertx, @TempDir Path dir) throws Exception {
    fake = new FakeLlmServer(vertx);
    fake.start();
    atrium = new AtriumHarness(vertx, dir.resolve("data")).start(Map.of(
        "ATRIUM_CHAT_OPENAI_BASE_URL", fake.url("/openai/v1"),
        "ATRIUM_CHAT_OPENAI_API_KEY", FakeLlmServer.KEY));
    Path notes = dir.resolve("borrow-checker.md");
    Files.writeString(notes, "# Ownership in Rust\n\nThe borrow checker enforces that a value has one owner and that "
        + "mutable references are exclusive. Lifetimes describe how long references stay valid.\n\n"
        + "# Async Rust\n\nFutures are polled by an executor such as Tokio; async functions return futures.\n");
    Path other = dir.resolve("garden.txt");
    Files.writeString(other, "Tomatoes need staking in June.\n");
    List<Long> resources = atrium.uploadIndexed(notes, other);
    resourceId = resources.get(0);
    otherResourceId = resources.get(1);
  }

  @AfterAll
  void stop() {
    fake.stop();
  }

  @BeforeEach
  void clear() {
    fake.received.clear();
    fake.script.clear();
  }

  @AfterEach
  void noKeyWasLogged() {
    assertThat(LogCapture.linesContaining(FakeLlmServer.KEY)).isEmpty();
  }

  @Test
  void aValidDecompositionIsNormalisedStoredAndReadableAgain() throws Exception {
    answer("""
        {"suggested_subtasks": [
          {"title": "  Design the database   schema ", "priority": "high"},
          {"title": "Configure FastAPI", "priority": "Medium"},
          {"title": "configure fastapi", "priority": "Low"},
          {"title": "Write tests", "priority": "LOW"}]}""");
    HttpResponse<Buffer> response = atrium.post("/agent/decompose", new JsonObject().put("model", "gpt-4o-mini")
        .put("task_id", 1).put("title", "Develop A FastAPI Web App").put("description", "REST API with auth")
        .put("context", "main.py"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonArray subtasks = response.bodyAsJsonObject().getJsonArray("suggested_subtasks");
    assertThat(subtasks).containsExactly(
        new JsonObject().put("title", "Design the database schema").put("priority", "High"),
        new JsonObject().put("title", "Configure FastAPI").put("priority", "Medium"),
        new JsonObject().put("title", "Write tests").put("priority", "Low"));
    JsonObject sent = fake.received.getFirst().body();
    assertThat(sent.getJsonObject("response_format").getString("type")).isEqualTo("json_object");
    assertThat(sent.encode()).contains("Develop A FastAPI Web App").contains("REST API with auth").contains("main.py");

    long id = response.bodyAsJsonObject().getLong("suggestion_id");
    JsonObject stored = atrium.get("/agent/suggestions/" + id).bodyAsJsonObject();
    assertThat(stored.getString("status")).isEqualTo("done");
    assertThat(stored.getString("kind")).isEqualTo("decompose");
    assertThat(stored.getLong("task_id")).isEqualTo(1L);
    assertThat(stored.getJsonArray("suggested_subtasks")).isEqualTo(subtasks);
    assertThat(stored.getInteger("attempts")).isEqualTo(1);
    assertThat(databaseText()).doesNotContain(FakeLlmServer.KEY);

    JsonArray listed = atrium.get("/agent/suggestions?kind=decompose&task_id=1&limit=200").bodyAsJsonObject()
        .getJsonArray("suggestions");
    assertThat(listed).as("listed, newest first").isNotEmpty();
    assertThat(listed.getJsonObject(0).getLong("suggestion_id")).isEqualTo(id);
    assertThat(listed.getJsonObject(0)).isEqualTo(stored);
    assertThat(atrium.get("/agent/suggestions?kind=magic").statusCode()).isEqualTo(400);
    assertThat(atrium.get("/agent/suggestions?limit=500").statusCode()).isEqualTo(400);
  }

  @Test
  void anAnswerThatIsNotJsonIsSentBackWithTheReasonAndTheRepairedAnswerIsUsed() {
    answer("Sure! Here are the subtasks: design, build, ship.");
    answer("```json\n{\"suggested_subtasks\": [{\"title\": \"Design\", \"priority\": \"High\"}]}\n```");
    HttpResponse<Buffer> response = atrium.post("/agent/decompose", new JsonObject().put("title", "Ship the app"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("suggested_subtasks"))
        .containsExactly(new JsonObject().put("title", "Design").put("priority", "High"));
    assertThat(fake.received).hasSize(2);
    JsonArray retryMessages = fake.received.get(1).body().getJsonArray("messages");
    assertThat(retryMessages.getJsonObject(retryMessages.size() - 2).getString("content")).startsWith("Sure!");
    assertThat(retryMessages.getJsonObject(retryMessages.size() - 1).getString("content"))
        .contains("one JSON object");
    long id = response.bodyAsJsonObject().getLong("suggestion_id");
    assertThat(atrium.get("/agent/suggestions/" + id).bodyAsJsonObject().getInteger("attempts")).isEqualTo(2);
  }

  @Test
  void hopelessOutputEndsTheSuggestionInErrorWithNothingStored() {
    answer("{\"suggested_subtasks\": [{\"title\": \"Design\", \"priority\": \"Urgent\"}]}");
    answer("{\"suggested_subtasks\": [{\"title\": \"\", \"priority\": \"High\"}]}");
    HttpResponse<Buffer> response = atrium.post("/agent/decompose", new JsonObject().put("title", "Ship the app")
        .put("api_key", FakeLlmServer.KEY));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    assertThat(response.bodyAsString()).doesNotContain(FakeLlmServer.KEY);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("not usable after 2 attempt(s)").contains("title");
    List<JsonObject> rows = suggestionsInError();
    assertThat(rows).isNotEmpty();
    JsonObject last = rows.getLast();
    assertThat(last.getString("status")).isEqualTo("error");
    assertThat(last.getString("last_error")).contains("not usable");
    assertThat(last.getValue("suggested_subtasks")).isNull();
  }

  @Test
  void anAsyncSuggestionAnswers202AtOnceAndItsResultArrivesByWebSocketAndByGet() {
    try (EventLog notifications = EventLog.onWebSocket(atrium.vertx, atrium.port, "/ws/notifications")) {
      fake.streamDelayMs = 0;
      answer("{\"suggested_tags\": [\"#Rust\", \"rust \", \"Borrow  Checker\", \"async\"]}");

      HttpResponse<Buffer> response = atrium.post("/agent/tag", new JsonObject().put("model", "gpt-4o-mini")
          .put("resource_id", resourceId).put("async", true));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
      long id = response.bodyAsJsonObject().getLong("suggestion_id");
      assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("todo");

      // announced once the suggestion is stored, after its todo on the same socket
      notifications.await("the suggestion's done notification", Duration.ofSeconds(30),
          n -> Long.valueOf(id).equals(n.getLong("suggestion_id")) && "done".equals(n.getString("status")));
      List<String> seen = notifications.received().stream()
          .filter(n -> "tag".equals(n.getString("event")) && Long.valueOf(resourceId).equals(n.getLong("resource_id")))
          .map(n -> n.getString("status")).toList();
      assertThat(seen).containsExactly("todo", "done");
      JsonObject done = atrium.get("/agent/suggestions/" + id).bodyAsJsonObject();
      assertThat(done.getString("status")).isEqualTo("done");
      assertThat(done.getJsonArray("suggested_tags")).containsExactly("rust", "borrow checker", "async");
      assertThat(fake.received.getFirst().body().encode()).contains("borrow checker enforces").contains("borrow-checker.md");
    }
  }

  @Test
  void taggingReadsOnlyTheListedChunksGivenAsStrings() throws Exception {
    long chunk = firstChunkOf(resourceId);
    answer("{\"suggested_tags\": [\"ownership\"]}");
    HttpResponse<Buffer> response = atrium.post("/agent/tag", new JsonObject().put("resource_id", resourceId)
        .put("chunk_id_list", new JsonArray().add(String.valueOf(chunk))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("suggested_tags")).containsExactly("ownership");
  }

  @Test
  void badRequestsNameTheFieldAndCreateNoSuggestion() throws Exception {
    int before = suggestionCount();
    assertError(atrium.post("/agent/decompose", new JsonObject()), 400, "title");
    assertError(atrium.post("/agent/decompose", new JsonObject().put("title", 5)), 400, "title");
    assertError(atrium.post("/agent/decompose", new JsonObject().put("title", "x").put("provider", "nonesuch")), 400, "provider");
    assertError(atrium.post("/agent/decompose", new JsonObject().put("title", "x").put("async", "yes")), 400, "async");
    assertError(atrium.post("/agent/tag", new JsonObject()), 400, "resource_id");
    assertError(atrium.post("/agent/tag", new JsonObject().put("resource_id", 999_999)), 404, "resource_id");
    assertError(atrium.post("/agent/tag", new JsonObject().put("resource_id", resourceId)
        .put("chunk_id_list", new JsonArray().add("abc"))), 400, "chunk_id_list");
    assertError(atrium.post("/agent/tag", new JsonObject().put("resource_id", resourceId)
        .put("chunk_id_list", new JsonArray().add(firstChunkOf(otherResourceId)))), 404, "chunk_id_list");
    assertError(atrium.postRaw("/agent/tag", "application/json", "{not json"), 400, null);
    assertError(atrium.get("/agent/suggestions/123456"), 404, "id");
    assertThat(suggestionCount()).isEqualTo(before);
    assertThat(fake.received).isEmpty();
  }

  @Test
  void rerankOrdersByTheJudgesScoresAndSearchCanAskForIt() {
    JsonArray results = new JsonArray()
        .add(new JsonObject().put("chunk_id", 1).put("text", "Tomatoes need staking."))
        .add(new JsonObject().put("chunk_id", 2).put("text", "The borrow checker enforces ownership."))
        .add(new JsonObject().put("chunk_id", 3).put("text", "Futures are polled by an executor."));
    answer("{\"scores\": [1, 9, 5]}");
    HttpResponse<Buffer> response = atrium.post("/search/rerank", new JsonObject().put("query", "borrow checker")
        .put("results", results));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("results").stream()
        .map(r -> ((JsonObject) r).getInteger("chunk_id")).toList()).containsExactly(2, 3, 1);

    answer("{\"scores\": [3, 8]}");
    JsonObject search = atrium.post("/search/hybrid", new JsonObject().put("query", "ownership borrow checker")
        .put("rerank", true).put("top_k", 2)).bodyAsJsonObject();
    assertThat(search.getJsonArray("results")).hasSize(2);
    assertThat(search.getBoolean("reranked")).isTrue();
    assertThat(search.getJsonArray("results").getJsonObject(0).getDouble("rerank_score")).isEqualTo(8.0);
    assertThat(search.getJsonArray("results").getJsonObject(1).getDouble("rerank_score")).isEqualTo(3.0);

    fake.down.set(true);
    try {
      JsonObject degraded = atrium.post("/search/hybrid", new JsonObject().put("query", "ownership").put("rerank", true))
          .bodyAsJsonObject();
      assertThat(degraded.getJsonArray("degraded")).contains("rerank");
      assertThat(degraded.getJsonArray("results")).isNotEmpty();
    } finally {
      fake.down.set(false);
    }
    assertError(atrium.post("/search/rerank", new JsonObject().put("query", "x")), 400, "results");
    assertError(atrium.post("/search/hybrid", new JsonObject().put("query", "x").put("rerank", "yes")), 400, "rerank");
  }

  /** The next model answer: the recorded OpenAI chat completion with its message text replaced. */
  private void answer(String content) {
    JsonObject recorded = new JsonObject(LlmFixtures.cassette("openai/test_openai_model_without_system_prompt.yaml", 0).body());
    recorded.getJsonArray("choices").getJsonObject(0).getJsonObject("message").put("content", content);
    fake.script.add(new FakeLlmServer.Scripted(200, Map.of(), recorded.encode()));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("message")).isNotBlank();
    if (field != null) {
      assertThat(error.getString("field")).isEqualTo(field);
    }
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + atrium.dataDir.resolve("atrium.db"));
  }

  private int suggestionCount() throws Exception {
    try (Connection c = db(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM agent_suggestions")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private List<JsonObject> suggestionsInError() {
    try (Connection c = db(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT status, last_error, suggested_subtasks FROM agent_suggestions WHERE status = 'error' ORDER BY id")) {
      List<JsonObject> list = new java.util.ArrayList<>();
      while (rows.next()) {
        list.add(new JsonObject().put("status", rows.getString(1)).put("last_error", rows.getString(2))
            .put("suggested_subtasks", rows.getString(3)));
      }
      return list;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long firstChunkOf(long resource) throws Exception {
    try (Connection c = db(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT id FROM context_chunks WHERE resource_id = " + resource + " ORDER BY chunk_index LIMIT 1")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Every byte of the database and its WAL, as text, to look for things that must never be stored. */
  private String databaseText() throws Exception {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("atrium.db", "atrium.db-wal")) {
      Path file = atrium.dataDir.resolve(name);
      if (Files.exists(file)) {
        text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    return text.toString();
  }
}
