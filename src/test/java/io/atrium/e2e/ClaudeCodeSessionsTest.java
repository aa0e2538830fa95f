package io.atrium.e2e;

import static io.atrium.e2e.BadRequestsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.atrium.fakes.FakeCodingModelServer;
import io.atrium.fakes.FakeCodingModelServer.Turn;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI (npm, installed by scripts/clis) driven through seed 001's API against a local fake of the
 * Anthropic Messages API, with an isolated HOME: start and resume, sync, live events, cancel, one run at a time,
 * the CLI's own errors, a silent CLI stopped.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeCodeSessionsTest {
  static final Path CLAUDE = Path.of(System.getProperty("atrium.clis",
      System.getProperty("user.home") + "/.cache/atrium-clis/node_modules/.bin")).resolve("claude");

  FakeCodingModelServer fake;
  AtriumHarness atrium;
  Path home;
  Path projects;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(CLAUDE), "Claude Code is not installed (scripts/clis installs it)");
    fake = new FakeCodingModelServer(vertx);
    fake.start();
    home = Files.createDirectories(dir.resolve("home"));
    Files.createDirectories(home.resolve("tmp"));
    projects = Files.createDirectories(dir.resolve("projects"));
    atrium = new AtriumHarness(vertx, dir.resolve("data")).start(Map.of(
        "ATRIUM_SESSIONS_ALLOWED_ROOTS", projects.toString(),
        "ATRIUM_SESSIONS_CLAUDE_COMMAND", CLAUDE.toString(),
        "ATRIUM_SESSIONS_IDLE_TIMEOUT_S", "8"));
    register("cc", fake.key(), new JsonArray());
  }

  @AfterAll
  void stop() {
    if (atrium != null) {
      atrium.stop();
    }
    if (fake != null) {
      fake.stop();
    }
  }

  @BeforeEach
  void clear() {
    fake.script.clear();
    fake.received.clear();
  }

  @Test
  void aResumedConversationKeepsItsContextAndItsMessagesSyncOnce() throws Exception {
    String id = conversation("cc", "resume-app");
    JsonObject first = ok(input(id, "What is in this repository?"));
    assertThat(first.getString("status")).isEqualTo("done");
    assertThat(first.getJsonObject("result").getString("text")).contains("seen 1 user turns");
    String session = first.getString("raw_conversation_id");
    assertThat(session).matches("[0-9a-f-]{36}");
    assertThat(ok(atrium.get("/api/v1/conversations/" + id)).getString("raw_conversation_id")).isEqualTo(session);

    JsonObject second = ok(input(id, "And the tests?"));
    assertThat(second.getJsonObject("result").getString("text"))
        .as("the CLI resumed its session: the model saw the earlier turn").contains("seen 2 user turns; last: And the tests?");
    assertThat(second.getString("raw_conversation_id")).isEqualTo(session);

    JsonObject messages = ok(atrium.get("/api/v1/conversations/" + id + "/messages?limit=1000"));
    List<String> types = messages.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("message_type")).toList();
    assertThat(types).contains("user", "assistant", "queue-operation");
    assertThat(messages.getJsonArray("messages").encode()).contains("What is in this repository?").contains("And the tests?");
    long total = messages.getLong("total");
    JsonObject again = ok(atrium.post("/api/v1/conversations/" + id + "/messages/sync", new JsonObject()));
    assertThat(again.getInteger("added")).as("a second sync finds nothing new").isZero();
    assertThat(again.getLong("total")).isEqualTo(total);
    java.nio.file.Files.delete(Path.of(again.getString("file")));
    assertThat(ok(atrium.get("/api/v1/conversations/" + id + "/messages?limit=1000")).getJsonArray("messages").encode())
        .as("atrium keeps its own copy: the history outlives the CLI's transcript (Claude Code deletes old ones)")
        .contains("What is in this repository?").contains("And the tests?").doesNotContain("content_missing");

    JsonArray inputs = ok(atrium.get("/api/v1/conversations/" + id + "/inputs?limit=10")).getJsonArray("inputs");
    assertThat(inputs.stream().map(i -> ((JsonObject) i).getString("content")).toList())
        .containsExactly("And the tests?", "What is in this repository?");
    assertThat(inputs.getJsonObject(0).getString("status")).isEqualTo("done");
  }

  @Test
  void aSyncedConversationIsFoundByHybridSearchWithALinkBackToItsMessage() throws Exception {
    register("cc-search", fake.key(), new JsonArray());
    String id = conversation("cc-search", "search-app");
    fake.then(Turn.text("The zebrafish migration script renames the aquarium tables in three batches."));
    ok(input(id, "How does the zebrafish migration work?"));
    JsonObject query = new JsonObject().put("query", "zebrafish migration aquarium tables").put("top_k", 5);
    JsonArray results;
    try (EventLog ticks = EventLog.ticks(atrium.vertx, Duration.ofMillis(200))) {
      // this worker's conversations only: other tests' conversations are found by vector similarity too
      results = ticks.awaitState("the conversation indexed for search", Duration.ofSeconds(60),
          () -> atrium.search(query.copy().put("filters", new JsonObject().put("source_type", "conversation")
              .put("worker_name", "cc-search"))).getJsonArray("results"), found -> !found.isEmpty());
    }
    JsonObject source = results.getJsonObject(0).getJsonObject("source");
    assertThat(source.getString("source_type")).isEqualTo("conversation");
    assertThat(source.getString("conversation_id")).isEqualTo(id);
    assertThat(source.getString("worker_name")).isEqualTo("cc-search");
    JsonArray messages = ok(atrium.get("/api/v1/conversations/" + id + "/messages?limit=1000")).getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("uuid")).toList())
        .as("the hit links to a message of the conversation").contains(source.getString("message_uuid"));
    assertThat(results.getJsonObject(0).getString("text")).contains("zebrafish");
    JsonObject resource = ok(atrium.get("/ingest/status/" + results.getJsonObject(0).getLong("resource_id")));
    assertThat(resource.getString("sync_status")).as("never queued for parsing at a restart").isEqualTo("synced");

    assertThat(atrium.search(query.copy().put("filters", new JsonObject().put("worker_name", "cc-search")))
        .getJsonArray("results")).isNotEmpty();
    assertThat(atrium.search(query.copy().put("filters", new JsonObject().put("worker_name", "someone-else")))
        .getJsonArray("results")).isEmpty();
    assertThat(atrium.search(query.copy().put("filters", new JsonObject().put("source_type", "document")))
        .getJsonArray("results")).isEmpty();
    assertError(atrium.post("/search/hybrid", query.copy().put("filters", new JsonObject().put("source_type", "chat"))),
        400, "filters.source_type");

    JsonObject deleted = ok(atrium.client.delete(atrium.port, "127.0.0.1", "/api/v1/conversations/" + id).send().await());
    assertThat(deleted.getBoolean("messages_file_removed")).as("atrium's copy of the transcript is gone too").isTrue();
    try (EventLog ticks = EventLog.ticks(atrium.vertx, Duration.ofMillis(200))) {
      ticks.awaitState("the deleted conversation's chunks gone from search", Duration.ofSeconds(30),
          () -> atrium.search(query.copy().put("filters", new JsonObject().put("source_type", "conversation")))
              .getJsonArray("results"), found -> found.stream().noneMatch(hit -> id.equals(((JsonObject) hit)
              .getJsonObject("source").getString("conversation_id"))));
    }
  }

  @Test
  void aConversationIndexedAgainAfterATurnEmbedsOnlyItsNewChunks() throws Exception {
    register("cc-reuse", fake.key(), new JsonArray());
    String id = conversation("cc-reuse", "reuse-app");
    StringBuilder essay = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      essay.append("Paragraph ").append(i).append(" of the walrus survey counts tusks on the northern shelf. ");
    }
    List<JsonObject> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    var consumer = atrium.vertx.eventBus().<JsonObject>consumer(io.atrium.bus.Addresses.EVENTS_EMBED_PROGRESS,
        event -> progress.add(event.body()));
    try (EventLog ticks = EventLog.ticks(atrium.vertx, Duration.ofMillis(200))) {
      JsonObject query = new JsonObject().put("query", "walrus survey tusks").put("top_k", 1)
          .put("filters", new JsonObject().put("worker_name", "cc-reuse"));
      fake.then(Turn.text(essay.toString()));
      ok(input(id, "Write up the walrus survey"));
      long resourceId = ticks.awaitState("the conversation indexed", Duration.ofSeconds(90),
          () -> atrium.search(query).getJsonArray("results"), found -> !found.isEmpty())
          .getJsonObject(0).getLong("resource_id");
      long firstChunks = ok(atrium.get("/ingest/status/" + resourceId)).getLong("chunk_count");
      assertThat(firstChunks).as("a long answer is many chunks").isGreaterThan(5);
      progress.clear();

      fake.then(Turn.text("The narwhal appendix is short."));
      ok(input(id, "Add the narwhal appendix"));
      ticks.awaitState("the new turn indexed", Duration.ofSeconds(90),
          () -> atrium.search(query.copy().put("query", "narwhal appendix")).getJsonArray("results"),
          found -> !found.isEmpty() && found.getJsonObject(0).getString("text").contains("narwhal"));
      long secondChunks = ok(atrium.get("/ingest/status/" + resourceId)).getLong("chunk_count");
      List<Integer> embedded = progress.stream().filter(e -> e.getLong("resource_id") == resourceId)
          .map(e -> e.getInteger("total")).distinct().toList();
      assertThat(embedded).as("chunks embedded in the second pass, of " + secondChunks).isNotEmpty()
          .allSatisfy(total -> assertThat(total).isLessThan((int) secondChunks / 2));
    } finally {
      consumer.unregister();
    }
  }

  @Test
  void aRunsEventsReachTheWebSocketInOrderWithItsToolCall() throws Exception {
    register("cc-tools", fake.key(), new JsonArray().add("--allowedTools").add("Bash(echo:*)"));
    String id = conversation("cc-tools", "tools-app");
    fake.then(Turn.toolUse());
    try (EventLog events = EventLog.onWebSocket(atrium.vertx, atrium.port, "/ws/notifications?conversation_id=" + id)) {
      JsonObject done = ok(input(id, "Run the marker command"));
      assertThat(done.getString("status")).isEqualTo("done");
      events.await("the run's done status", Duration.ofSeconds(30),
          e -> "status".equals(e.getString("kind")) && "done".equals(e.getString("status")));
      List<JsonObject> received = events.received();
      assertThat(received).allSatisfy(e -> {
        assertThat(e.getString("event")).isEqualTo("session");
        assertThat(e.getString("conversation_id")).isEqualTo(id);
      });
      List<Long> seqs = received.stream().map(e -> e.getLong("seq")).toList();
      assertThat(seqs).as("in the order the CLI printed them").isSorted().doesNotHaveDuplicates();
      List<String> kinds = received.stream().map(e -> e.getString("kind")).toList();
      assertThat(kinds).containsSubsequence("status", "tool_use", "tool_result", "text", "result", "status");
      JsonObject toolResult = received.stream().filter(e -> "tool_result".equals(e.getString("kind"))).findFirst().orElseThrow();
      assertThat(String.valueOf(toolResult.getValue("content"))).contains("tool-ran-ok");
    }
  }

  @Test
  void aStreamedInputIsAnsweredAsServerSentEventsEndingWithItsStatus() throws Exception {
    String id = conversation("cc", "stream-app");
    HttpResponse<Buffer> response = atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/conversations/" + id)
        .sendJsonObject(new JsonObject().put("content", "Stream it").put("stream", true)).await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/event-stream");
    List<String> eventTypes = response.bodyAsString().lines().filter(line -> line.startsWith("event: "))
        .map(line -> line.substring(7)).toList();
    assertThat(eventTypes.get(0)).isEqualTo("accepted");
    assertThat(eventTypes).containsSubsequence("accepted", "text", "result", "status");
    String last = response.bodyAsString().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(new JsonObject(last.substring("data: ".length())).getString("status")).isEqualTo("done");
    assertThat(response.bodyAsString()).contains("seen 1 user turns; last: Stream it");
  }

  @Test
  void cancelStopsTheCliAndEverythingItStarted() throws Exception {
    String id = conversation("cc", "cancel-app");
    fake.then(Turn.slow(400, 100));
    try (EventLog events = EventLog.onWebSocket(atrium.vertx, atrium.port, "/ws/notifications?conversation_id=" + id)) {
      Future<HttpResponse<Buffer>> running = inputAsync(id, "Write a long essay");
      events.await("the first streamed text", Duration.ofSeconds(30), e -> "text".equals(e.getString("kind")));
      assertThat(cliProcesses()).as("the CLI runs as atrium's child").isNotEmpty();
      JsonObject cancelled = ok(atrium.post("/api/v1/conversations/" + id + "/cancel", new JsonObject()));
      assertThat(cancelled.getLong("cancelled")).isPositive();
      JsonObject outcome = ok(running.await());
      assertThat(outcome.getString("status")).isEqualTo("cancelled");
      assertThat(cliProcesses()).as("no process left behind").isEmpty();
      JsonArray inputs = ok(atrium.get("/api/v1/conversations/" + id + "/inputs")).getJsonArray("inputs");
      assertThat(inputs.getJsonObject(0).getString("status")).isEqualTo("cancelled");
    }
  }

  @Test
  void aSecondInputWhileOneRunsIsRefusedOrQueuedWhenAsked() throws Exception {
    String id = conversation("cc", "queue-app");
    fake.then(Turn.slow(30, 100));
    try (EventLog events = EventLog.onWebSocket(atrium.vertx, atrium.port, "/ws/notifications?conversation_id=" + id)) {
      Future<HttpResponse<Buffer>> first = inputAsync(id, "first");
      events.await("the first run streaming", Duration.ofSeconds(30), e -> "text".equals(e.getString("kind")));
      assertError(input(id, "impatient"), 409, "id");
      Future<HttpResponse<Buffer>> queued = atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/conversations/" + id)
          .sendJsonObject(new JsonObject().put("content", "after the first").put("queue", true));
      assertThat(ok(first.await()).getString("status")).isEqualTo("done");
      JsonObject next = ok(queued.await());
      assertThat(next.getString("status")).isEqualTo("done");
      assertThat(next.getJsonObject("result").getString("text")).contains("seen 2 user turns; last: after the first");
    }
    JsonArray inputs = ok(atrium.get("/api/v1/conversations/" + id + "/inputs")).getJsonArray("inputs");
    assertThat(inputs.stream().map(i -> ((JsonObject) i).getString("content")).toList())
        .as("the refused input was never recorded").containsExactly("after the first", "first");
  }

  @Test
  void theClisOwnErrorsBecomeClearStatuses() throws Exception {
    String id = conversation("cc", "errors-app");
    fake.then(Turn.failure(429));
    assertError(input(id, "rate limited"), 429, null);
    fake.then(Turn.failure(500));
    assertError(input(id, "server error"), 502, null);

    register("cc-badkey", "sk-ant-wrong-key-000000", new JsonArray());
    String badKey = conversation("cc-badkey", "badkey-app");
    HttpResponse<Buffer> refused = input(badKey, "hello");
    assertError(refused, 401, "env_vars");
    assertThat(refused.bodyAsString()).contains("ANTHROPIC_API_KEY").doesNotContain("sk-ant-wrong-key-000000");
    JsonArray inputs = ok(atrium.get("/api/v1/conversations/" + badKey + "/inputs")).getJsonArray("inputs");
    assertThat(inputs.getJsonObject(0).getString("status")).isEqualTo("error");
  }

  @Test
  void aCliThatPrintsNothingForTheIdleTimeoutIsStopped() throws Exception {
    String id = conversation("cc", "hang-app");
    fake.then(Turn.hang());
    HttpResponse<Buffer> stopped = input(id, "this will hang");
    assertError(stopped, 503, null);
    assertThat(stopped.bodyAsString()).contains("idle_timeout_s");
    assertThat(cliProcesses()).isEmpty();
  }

  @Test
  void aRestartMidRunEndsTheInputInErrorAndStopsTheCliItLeft(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    Map<String, String> env = Map.of("ATRIUM_SESSIONS_ALLOWED_ROOTS", projects.toString(),
        "ATRIUM_SESSIONS_CLAUDE_COMMAND", CLAUDE.toString());
    ChildAtrium first = ChildAtrium.start(dataDir, env, dir.resolve("first.log"));
    String id;
    List<ProcessHandle> orphans;
    try {
      first.awaitHealthy(atrium.vertx);
      AtriumHarness remote = first.harness(atrium.vertx);
      register(remote, "cc-restart", fake.key(), new JsonArray());
      id = ok(remote.post("/api/v1/conversations", new JsonObject().put("worker_name", "cc-restart")
          .put("project_path", Files.createDirectories(projects.resolve("restart-app")).toString()))).getString("id");
      fake.then(Turn.slow(600, 100));
      try (EventLog events = EventLog.onWebSocket(atrium.vertx, first.port, "/ws/notifications?conversation_id=" + id)) {
        remote.client.post(first.port, "127.0.0.1", "/api/v1/conversations/" + id)
            .sendJsonObject(new JsonObject().put("content", "a long task"));
        events.await("the CLI streaming", Duration.ofSeconds(30), e -> "text".equals(e.getString("kind")));
      }
      orphans = first.process.toHandle().descendants().filter(p -> p.info().command().orElse("").contains("claude")).toList();
      assertThat(orphans).as("the CLI runs under the first atrium").isNotEmpty();
    } finally {
      first.process.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS); // SIGKILL: no drain
    }
    assertThat(orphans).as("a SIGKILL leaves the CLI running").anyMatch(ProcessHandle::isAlive);

    ChildAtrium second = ChildAtrium.start(dataDir, env, dir.resolve("second.log"));
    try {
      second.awaitHealthy(atrium.vertx);
      for (ProcessHandle orphan : orphans) {
        orphan.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      AtriumHarness remote = second.harness(atrium.vertx);
      JsonObject input = ok(remote.get("/api/v1/conversations/" + id + "/inputs")).getJsonArray("inputs").getJsonObject(0);
      assertThat(input.getString("status")).isEqualTo("error");
      assertThat(input.getString("error")).contains("atrium stopped");
      JsonObject conversation = ok(remote.get("/api/v1/conversations/" + id));
      assertThat(conversation.getJsonObject("run").getValue("running")).as("nothing stuck").isNull();
      JsonObject next = ok(remote.client.post(second.port, "127.0.0.1", "/api/v1/conversations/" + id)
          .sendJsonObject(new JsonObject().put("content", "again")).await());
      assertThat(next.getString("status")).isEqualTo("done");
    } finally {
      second.process.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private void register(String name, String key, JsonArray params) {
    register(atrium, name, key, params);
  }

  private void register(AtriumHarness atrium, String name, String key, JsonArray params) {
    JsonObject env = new JsonObject().put("HOME", home.toString()).put("ANTHROPIC_BASE_URL", fake.anthropicBaseUrl())
        .put("ANTHROPIC_API_KEY", key).put("CLAUDE_CODE_MAX_RETRIES", "0")
        .put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        // else the CLI keeps its scratch files under /tmp/claude-<uid>
        .put("TMPDIR", home.resolve("tmp").toString());
    HttpResponse<Buffer> created = atrium.post("/api/v1/workers", new JsonObject().put("worker_name", name)
        .put("type", "claudecode").put("env_vars", env).put("command_params", params));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  private String conversation(String worker, String folder) throws Exception {
    Path project = Files.createDirectories(projects.resolve(folder));
    return ok(atrium.post("/api/v1/conversations", new JsonObject().put("worker_name", worker)
        .put("project_path", project.toString()))).getString("id");
  }

  private HttpResponse<Buffer> input(String id, String content) {
    return inputAsync(id, content).await();
  }

  private Future<HttpResponse<Buffer>> inputAsync(String id, String content) {
    return atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/conversations/" + id)
        .sendJsonObject(new JsonObject().put("content", content));
  }

  /** Live processes under this JVM running the CLI (atrium runs in the test's JVM). */
  static List<ProcessHandle> cliProcesses() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").contains("claude")).toList();
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 201);
    return response.bodyAsJsonObject();
  }
}
