package io.atrium.e2e;

import static io.atrium.e2e.ChatProvidersTest.ask;
import static io.atrium.e2e.ChatProvidersTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.atrium.fakes.FakeLlmServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Answers grounded in an uploaded document, with citations of its real chunks; sessions; retrieval_logs. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatContextAndSessionsTest {
  FakeLlmServer fake;
  AtriumHarness atrium;
  Path dataDir;
  long resourceId;
  long otherResourceId;

  @BeforeAll
  void startAndUpload(Vertx vertx, @TempDir Path dataDir) throws Exception {
    this.dataDir = dataDir;
    fake = new FakeLlmServer(vertx);
    fake.start();
    atrium = new AtriumHarness(vertx, dataDir.resolve("data")).start(Map.of(
        "ATRIUM_CHAT_OPENAI_BASE_URL", fake.url("/openai/v1"),
        "ATRIUM_CHAT_CONTEXT_TOKEN_BUDGET", "400"));
    Path reactor = dataDir.resolve("reactor.txt");
    StringBuilder text = new StringBuilder("# The Zorblax reactor\n\n");
    for (int i = 1; i <= 12; i++) {
      text.append("Section ").append(i).append(". The Zorblax reactor burns helium-3 pellets in chamber ").append(i)
          .append(" and its coolant loop number ").append(i).append(" carries molten salt past the turbine hall. ")
          .append("Engineers inspect the pellet feeder every ").append(i + 2).append(" days.\n\n");
    }
    Files.writeString(reactor, text);
    Path garden = dataDir.resolve("garden.txt");
    Files.writeString(garden, "Tomatoes in the community garden need staking in June and watering at dawn.\n");
    List<Long> resources = atrium.uploadIndexed(reactor, garden);
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
  }

  @Test
  void citationsAreTheRealChunksOfTheGivenResourceThatWentIntoThePrompt() throws Exception {
    JsonObject answer = ok(atrium.post("/chat/completions", question("What fuel does the Zorblax reactor burn?")
        .put("context_resource_ids", new JsonArray().add(resourceId))));
    JsonArray citations = answer.getJsonArray("citations");
    assertThat(citations).isNotEmpty();
    String system = systemPromptSent();
    List<Long> chunkIds = new ArrayList<>();
    for (int i = 0; i < citations.size(); i++) {
      JsonObject citation = citations.getJsonObject(i);
      assertThat(citation.getLong("resource_id")).isEqualTo(resourceId);
      long chunkId = citation.getLong("chunk_id");
      chunkIds.add(chunkId);
      String chunkText = chunk(chunkId, resourceId);
      assertThat(chunkText).as("chunk %d of resource %d", chunkId, resourceId).isNotNull();
      assertThat(system).contains("[" + (i + 1) + "] reactor.txt").contains(chunkText.strip());
    }
    assertThat(chunkIds).doesNotHaveDuplicates();
    assertThat(system).contains("helium-3").doesNotContain("Tomatoes");
    // the budget (400 estimated tokens) holds back some of the document's chunks
    assertThat(chunkIds.size()).isLessThan(chunkCount(resourceId));
  }

  @Test
  void onlyTheNamedResourcesAreSearched() {
    JsonObject answer = ok(atrium.post("/chat/completions", question("When do tomatoes need staking?")
        .put("context_resource_ids", new JsonArray().add(resourceId))));
    assertThat(answer.getJsonArray("citations")).allSatisfy(c ->
        assertThat(((JsonObject) c).getLong("resource_id")).isEqualTo(resourceId));
    assertThat(systemPromptSent()).doesNotContain("Tomatoes");
  }

  @Test
  void aKnowledgeBaseFilterKeepsTheContextInsideThatBase() throws Exception {
    long base = atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "greenhouse")).bodyAsJsonObject()
        .getLong("id");
    Path note = Files.writeString(Files.createDirectories(dataDir.resolve("greenhouse")).resolve("greenhouse.txt"),
        "Greenhouse tomatoes need staking when the first truss flowers.\n");
    io.vertx.ext.web.multipart.MultipartForm form = io.vertx.ext.web.multipart.MultipartForm.create()
        .binaryFileUpload("files", "greenhouse.txt", note.toString(), "text/plain");
    long inBase = atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/knowledge-bases/" + base + "/documents")
        .sendMultipartForm(form).await().bodyAsJsonObject().getJsonArray("documents").getJsonObject(0).getLong("id");
    atrium.awaitStatus(inBase, java.time.Duration.ofMinutes(2), "done");

    JsonObject answer = ok(atrium.post("/chat/completions", question("When do tomatoes need staking?")
        .put("filters", new JsonObject().put("knowledge_base_id", base))));
    assertThat(answer.getJsonArray("citations")).isNotEmpty().allSatisfy(c ->
        assertThat(((JsonObject) c).getLong("resource_id")).isEqualTo(inBase));
    assertThat(systemPromptSent()).contains("first truss").doesNotContain("community garden");
    assertThat(atrium.post("/chat/completions", question("When?").put("filters", new JsonObject()
        .put("knowledge_base_id", "greenhouse"))).statusCode()).isEqualTo(400);
  }

  @Test
  void retrieveSearchesEverythingAndNoContextMeansNoCitations() {
    JsonObject retrieved = ok(atrium.post("/chat/completions", question("When do tomatoes need staking in the garden?")
        .put("retrieve", true)));
    assertThat(retrieved.getJsonArray("citations")).isNotEmpty();
    assertThat(retrieved.getJsonArray("citations").getJsonObject(0).getLong("resource_id")).isEqualTo(otherResourceId);
    fake.received.clear();
    JsonObject plain = ok(atrium.post("/chat/completions", question("When do tomatoes need staking in the garden?")));
    assertThat(plain.getJsonArray("citations")).isEmpty();
    assertThat(fake.received.get(0).body().getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("user");
  }

  @Test
  void aSessionContinuesTheConversationAndKeepsItsHistory() {
    HttpResponse<Buffer> created = atrium.post("/chat/session/new", new JsonObject()
        .put("resource_id", resourceId).put("title", "关于部署的讨论"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long session = created.bodyAsJsonObject().getLong("session_id");
    assertThat(created.bodyAsJsonObject().getLong("resource_id")).isEqualTo(resourceId);

    JsonObject first = ok(atrium.post("/chat/completions", question("What fuel does the reactor burn?").put("session_id", session)));
    assertThat(first.getLong("session_id")).isEqualTo(session);
    assertThat(first.getJsonArray("citations")).as("a session bound to a resource answers from it").isNotEmpty();
    SseEvents second = SseEvents.post(atrium.vertx, atrium.port, "/chat/completions",
        question("And how often is the feeder inspected?").put("session_id", session).put("stream", true));
    assertThat(second.status()).isEqualTo(200);

    JsonArray sent = fake.received.get(1).body().getJsonArray("messages");
    List<JsonObject> turns = sent.stream().map(JsonObject.class::cast).filter(m -> !"system".equals(m.getString("role"))).toList();
    assertThat(turns).containsExactly(
        message("user", "What fuel does the reactor burn?"),
        message("assistant", first.getString("content")),
        message("user", "And how often is the feeder inspected?"));

    JsonObject history = ok(atrium.get("/chat/history/" + session));
    assertThat(history.getString("title")).isEqualTo("关于部署的讨论");
    JsonArray messages = history.getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("role")).toList())
        .containsExactly("user", "assistant", "user", "assistant");
    assertThat(messages.getJsonObject(3).getString("content")).isEqualTo(second.text());
    assertThat(messages.getJsonObject(1).getJsonArray("citations")).isEqualTo(first.getJsonArray("citations"));
    assertThat(messages.getJsonObject(1).getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(809);
    assertThat(messages.getJsonObject(1).getString("provider")).isEqualTo("openai");

    JsonObject listed = ok(atrium.get("/chat/sessions?resource_id=" + resourceId));
    JsonObject newest = listed.getJsonArray("sessions").getJsonObject(0);
    assertThat(newest.getLong("session_id")).isEqualTo(session);
    assertThat(newest.getString("title")).isEqualTo("关于部署的讨论");
    assertThat(newest.getLong("message_count")).isEqualTo(4);
    JsonObject paged = ok(atrium.get("/chat/sessions?limit=1"));
    assertThat(paged.getJsonArray("sessions")).hasSize(1);
    assertThat(atrium.get("/chat/sessions?cursor=x").statusCode()).isEqualTo(400);
  }

  @Test
  void apiV1ChatAskIsTheSameChatWithAQuestion() {
    JsonObject answer = ok(atrium.post("/api/v1/chat/ask", new JsonObject().put("provider", "openai").put("model", "gpt-4o")
        .put("api_key", FakeLlmServer.KEY).put("question", "What fuel does the Zorblax reactor burn?")
        .put("context_resource_ids", new JsonArray().add(resourceId))));
    assertThat(answer.getString("content")).startsWith("That's right");
    assertThat(answer.getJsonArray("citations")).isNotEmpty();
    assertThat(fake.received.get(0).body().getJsonArray("messages").getJsonObject(1))
        .isEqualTo(message("user", "What fuel does the Zorblax reactor burn?"));
  }

  @Test
  void everyQuestionIsInRetrievalLogsWithWhatWasRetrievedAndHowItWent() {
    String question = "Which loop carries molten salt? (log check)";
    try (EventLog logWrites = EventLog.repliesTo(atrium.vertx, Addresses.STORE_CHAT_LOG)) {
      JsonObject answer = ok(atrium.post("/chat/completions", question(question)
          .put("context_resource_ids", new JsonArray().add(resourceId))));
      HttpResponse<Buffer> refused = atrium.post("/chat/completions", question(question + " refused").put("api_key", "sk-nope-0000000"));
      assertThat(refused.statusCode()).isEqualTo(401);

      JsonObject ok = awaitLog(logWrites, question);
      JsonArray expectedIds = new JsonArray();
      answer.getJsonArray("citations").forEach(c -> expectedIds.add(((JsonObject) c).getLong("chunk_id")));
      assertThat(new JsonArray(ok.getString("retrieved_chunk_ids"))).isEqualTo(expectedIds);
      assertThat(ok.getString("provider")).isEqualTo("openai");
      assertThat(ok.getString("model")).isEqualTo("gpt-4o");
      assertThat(ok.getString("outcome")).isEqualTo("ok");
      assertThat(ok.getLong("prompt_tokens")).isEqualTo(11);
      assertThat(ok.getLong("completion_tokens")).isEqualTo(809);
      assertThat(ok.getLong("latency_ms")).isNotNegative();

      JsonObject failed = awaitLog(logWrites, question + " refused");
      assertThat(failed.getString("outcome")).isEqualTo("error");
      assertThat(failed.getString("error_code")).isEqualTo("unauthorized");
      assertThat(failed.getLong("prompt_tokens")).isNull();
    }
  }

  private JsonObject question(String text) {
    return ask("openai", "gpt-4o").put("messages", new JsonArray().add(message("user", text)));
  }

  private String systemPromptSent() {
    assertThat(fake.received).isNotEmpty();
    JsonObject first = fake.received.get(0).body().getJsonArray("messages").getJsonObject(0);
    assertThat(first.getString("role")).isEqualTo("system");
    return first.getString("content");
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("data/atrium.db"));
  }

  private String chunk(long chunkId, long resource) throws Exception {
    try (Connection c = db(); PreparedStatement s = c.prepareStatement(
        "SELECT content FROM context_chunks WHERE id = ? AND resource_id = ?")) {
      s.setLong(1, chunkId);
      s.setLong(2, resource);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }

  private int chunkCount(long resource) throws Exception {
    try (Connection c = db(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM context_chunks WHERE resource_id = ?")) {
      s.setLong(1, resource);
      try (ResultSet row = s.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  /**
   * The retrieval_logs row of a question. It is written in a batch just after the answer: read now, and again each
   * time the store confirms a batch of log rows (logWrites, opened before the question was asked).
   */
  private JsonObject awaitLog(EventLog logWrites, String question) {
    return logWrites.awaitState("the retrieval_logs row of \"" + question + "\"", Duration.ofSeconds(30),
        () -> logRow(question), Objects::nonNull);
  }

  private JsonObject logRow(String question) throws Exception {
    try (Connection c = db(); PreparedStatement s = c.prepareStatement("SELECT retrieved_chunk_ids, provider, model, "
        + "outcome, error_code, prompt_tokens, completion_tokens, latency_ms FROM retrieval_logs WHERE question = ?")) {
      s.setString(1, question);
      try (ResultSet row = s.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        JsonObject json = new JsonObject();
        for (int i = 1; i <= 8; i++) {
          json.put(row.getMetaData().getColumnName(i), row.getObject(i));
        }
        return json;
      }
    }
  }
}
