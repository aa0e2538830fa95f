package io.atrium.e2e;

import static io.atrium.e2e.BadRequestsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.atrium.fakes.CodingClis;
import io.atrium.fakes.FakeCodingModelServer;
import io.atrium.fakes.FakeCodingModelServer.Turn;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenCode CLI behind the same API as Claude Code, against a local OpenAI-compatible fake: start and resume
 * (the model sees the earlier turn), live events, messages synced from {@code opencode export}, a refused key.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenCodeSessionsTest {
  FakeCodingModelServer fake;
  AtriumHarness atrium;
  Path projects;
  Path dir;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(CodingClis.opencode()), "OpenCode is not installed (scripts/clis installs it)");
    this.dir = dir;
    fake = new FakeCodingModelServer(vertx);
    fake.start();
    projects = Files.createDirectories(dir.resolve("projects"));
    atrium = new AtriumHarness(vertx, dir.resolve("data")).start(Map.of(
        "ATRIUM_SESSIONS_ALLOWED_ROOTS", projects.toString(),
        "ATRIUM_SESSIONS_OPENCODE_COMMAND", CodingClis.opencode().toString()));
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

  @Test
  void workerTypesNameOpenCode() {
    assertThat(ok(atrium.get("/api/v1/workers/types")).getJsonArray("types").getList()).contains("claudecode", "opencode");
  }

  @Test
  void anOpenCodeConversationResumesItsSessionStreamsItsPartsAndSyncsItsMessages() throws Exception {
    register("oc", fake.key());
    String id = conversation("oc", "oc-app");
    JsonObject first;
    try (EventLog events = EventLog.onWebSocket(atrium.vertx, atrium.port, "/ws/notifications?conversation_id=" + id)) {
      first = ok(input(id, "What does this project do?"));
      events.await("the run's done status", Duration.ofSeconds(60),
          e -> "status".equals(e.getString("kind")) && "done".equals(e.getString("status")));
      List<String> kinds = events.received().stream().map(e -> e.getString("kind")).toList();
      assertThat(kinds).containsSubsequence("status", "text", "result", "status");
    }
    assertThat(first.getString("status")).isEqualTo("done");
    assertThat(first.getString("raw_conversation_id")).startsWith("ses_");
    assertThat(first.getJsonObject("result").getString("text")).contains("seen 1 user turns; last: What does this project do?");

    JsonObject second = ok(input(id, "And its tests?"));
    assertThat(second.getString("raw_conversation_id")).isEqualTo(first.getString("raw_conversation_id"));
    assertThat(second.getJsonObject("result").getString("text")).contains("seen 2 user turns; last: And its tests?");

    JsonObject messages = ok(atrium.get("/api/v1/conversations/" + id + "/messages"));
    assertThat(messages.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("message_type")).toList())
        .containsExactly("user", "assistant", "user", "assistant");
    JsonObject again = ok(atrium.post("/api/v1/conversations/" + id + "/messages/sync", new JsonObject()));
    assertThat(again.getInteger("added")).isZero();
    assertThat(again.getLong("total")).isEqualTo(4);
  }

  @Test
  void aRefusedKeyIsA401NamingWhereTheKeyIsSet() throws Exception {
    register("oc-badkey", "sk-wrong-key-00000000");
    String id = conversation("oc-badkey", "oc-badkey-app");
    HttpResponse<Buffer> refused = input(id, "hello");
    assertError(refused, 401, "env_vars");
    assertThat(refused.bodyAsString()).contains("opencode.json").doesNotContain("sk-wrong-key-00000000");
  }

  /** Each worker its own HOME: OpenCode reads its provider (the fake, with this key) from its opencode.json there. */
  private void register(String name, String key) throws Exception {
    Map<String, String> env = CodingClis.opencodeEnv(Files.createDirectories(dir.resolve("home-" + name)),
        fake.openAiBaseUrl(), key);
    HttpResponse<Buffer> created = atrium.post("/api/v1/workers", new JsonObject().put("worker_name", name)
        .put("type", "opencode").put("env_vars", new JsonObject(Map.copyOf(env)))
        .put("command_params", new JsonArray().add("-m").add(CodingClis.OPENCODE_MODEL)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  private String conversation(String worker, String folder) throws Exception {
    Path project = Files.createDirectories(projects.resolve(folder));
    return ok(atrium.post("/api/v1/conversations", new JsonObject().put("worker_name", worker)
        .put("project_path", project.toString()))).getString("id");
  }

  private HttpResponse<Buffer> input(String id, String content) {
    return atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/conversations/" + id)
        .sendJsonObject(new JsonObject().put("content", content)).await();
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 201);
    return response.bodyAsJsonObject();
  }
}
