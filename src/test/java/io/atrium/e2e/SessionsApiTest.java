package io.atrium.e2e;

import static io.atrium.e2e.BadRequestsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 001's workers and conversations API without running a CLI: the shapes, the name rule, masked env values,
 * project folders inside the allowed roots, and bad input answered with a 4xx naming the field, changing nothing.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionsApiTest {
  AtriumHarness atrium;
  Path projects;
  Path outside;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    projects = Files.createDirectories(dir.resolve("projects"));
    outside = Files.createDirectories(dir.resolve("elsewhere"));
    atrium = new AtriumHarness(vertx, dir.resolve("data")).start(Map.of(
        "ATRIUM_SESSIONS_ALLOWED_ROOTS", projects.toString(),
        "ATRIUM_SESSIONS_CLAUDE_COMMAND", dir.resolve("no-such-claude").toString()));
  }

  @AfterAll
  void stop() {
    atrium.stop();
  }

  @Test
  void workerTypesNameClaudeCodeAsTheDefault() {
    JsonObject types = ok(atrium.get("/api/v1/workers/types"), 200);
    assertThat(types.getJsonArray("types").getList()).contains("claudecode");
    assertThat(types.getString("default")).isEqualTo("claudecode");
  }

  @Test
  void healthSaysWhetherEachCliIsInstalled() {
    JsonObject health = ok(atrium.get("/health"), 200);
    assertThat(health.getString("status")).isEqualTo("ok");
    JsonObject claude = health.getJsonObject("sessions").getJsonObject("clis").getJsonObject("claudecode");
    assertThat(claude.getString("program")).endsWith("no-such-claude");
    assertThat(claude.getBoolean("available")).isFalse();
  }

  @Test
  void aWorkerIsRegisteredOnceAndItsEnvValuesAreNeverShownInFull() {
    String key = "sk-ant-secret-value-1234567890";
    JsonObject created = ok(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "laptop-cc")
        .put("env_vars", new JsonObject().put("ANTHROPIC_API_KEY", key))
        .put("command_params", new JsonArray().add("--model").add("sonnet"))), 201);
    assertThat(created.getString("worker_name")).isEqualTo("laptop-cc");
    assertThat(created.getString("type")).isEqualTo("claudecode");
    assertThat(created.getJsonArray("command_params").getList()).containsExactly("--model", "sonnet");
    assertThat(created.getJsonObject("env_vars").fieldNames()).containsExactly("ANTHROPIC_API_KEY");
    for (HttpResponse<Buffer> read : new HttpResponse[] {atrium.get("/api/v1/workers/laptop-cc"),
        atrium.get("/api/v1/workers?worker_name=laptop-cc"), atrium.get("/api/v1/workers")}) {
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.bodyAsString()).doesNotContain(key).contains("ANTHROPIC_API_KEY");
    }
    assertThat(ok(atrium.get("/api/v1/workers?worker_name=laptop-cc"), 200).getJsonArray("workers")).hasSize(1);
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "laptop-cc")), 409, "worker_name");
  }

  @Test
  void badWorkerDefinitionsAreRefusedNamingTheField() {
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "9starts-with-digit")), 400, "worker_name");
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "a".repeat(65))), 400, "worker_name");
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "has space")), 400, "worker_name");
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "ok").put("type", "cursor")), 400, "type");
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "ok").put("env_vars", "A=1")), 400, "env_vars");
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "ok")
        .put("env_vars", new JsonObject().put("BAD-NAME", "1"))), 400, "env_vars");
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "ok")
        .put("env_vars", new JsonObject().put("N", 5))), 400, "env_vars");
    assertError(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "ok")
        .put("command_params", new JsonArray().add(1))), 400, "command_params");
    assertError(atrium.get("/api/v1/workers/unknown-worker"), 404, "worker_name");
    assertError(atrium.get("/api/v1/workers?worker_name=bad%20name"), 400, "worker_name");
    assertThat(ok(atrium.get("/api/v1/workers?worker_name=ok"), 200).getJsonArray("workers")).isEmpty();
  }

  @Test
  void aConversationNeedsAKnownWorkerAndAProjectFolderInsideTheAllowedRoots() throws Exception {
    ok(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "paths")), 201);
    Path project = Files.createDirectories(projects.resolve("web-app"));
    Path file = Files.writeString(projects.resolve("notes.txt"), "x");
    Path escape = Files.createSymbolicLink(projects.resolve("escape"), outside);
    assertError(atrium.post("/api/v1/conversations", conversation("nobody", project)), 404, "worker_name");
    assertError(atrium.post("/api/v1/conversations", conversation("paths", projects.resolve("missing"))), 400, "project_path");
    assertError(atrium.post("/api/v1/conversations", conversation("paths", file)), 400, "project_path");
    assertError(atrium.post("/api/v1/conversations", conversation("paths", outside)), 403, "project_path");
    assertError(atrium.post("/api/v1/conversations", conversation("paths", escape)), 403, "project_path");
    assertError(atrium.post("/api/v1/conversations", new JsonObject().put("worker_name", "paths")
        .put("project_path", "relative/dir")), 400, "project_path");
    assertThat(ok(atrium.get("/api/v1/conversations?worker_name=paths"), 200).getJsonArray("conversations")).isEmpty();

    JsonObject created = ok(atrium.post("/api/v1/conversations", conversation("paths", project)), 201);
    assertThat(created.getString("id")).matches("[0-9a-f-]{36}");
    assertThat(created.getString("project_path")).isEqualTo(project.toRealPath().toString());
    assertThat(created.getString("name")).isEqualTo("web-app");
    assertThat(created.getBoolean("is_current")).isTrue();
    assertThat(created.getValue("raw_conversation_id")).isNull();
    JsonObject second = ok(atrium.post("/api/v1/conversations", conversation("paths", project).put("name", "refactor")), 201);
    assertThat(ok(atrium.get("/api/v1/conversations/" + created.getString("id")), 200).getBoolean("is_current"))
        .as("a newer conversation of the same worker and folder is the current one").isFalse();
    assertThat(second.getBoolean("is_current")).isTrue();
  }

  @Test
  void conversationsAreListedRenamedAndDeletedWithTheirInputsFile() throws Exception {
    ok(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "crud")), 201);
    Path project = Files.createDirectories(projects.resolve("crud-app"));
    String id = ok(atrium.post("/api/v1/conversations", conversation("crud", project)), 201).getString("id");
    JsonObject listed = ok(atrium.get("/api/v1/conversations?worker_name=crud"), 200);
    assertThat(listed.getJsonArray("conversations")).hasSize(1);
    assertThat(listed.getLong("total")).isEqualTo(1);

    JsonObject renamed = ok(send(HttpMethod.PATCH, "/api/v1/conversations/" + id, new JsonObject().put("name", "new name")), 200);
    assertThat(renamed.getString("name")).isEqualTo("new name");
    assertError(send(HttpMethod.PATCH, "/api/v1/conversations/" + id, new JsonObject().put("name", "")), 400, "name");
    assertThat(ok(atrium.get("/api/v1/conversations/" + id + "/inputs"), 200).getJsonArray("inputs")).isEmpty();
    assertThat(ok(atrium.get("/api/v1/conversations/" + id + "/messages"), 200).getJsonArray("messages")).isEmpty();

    // an input whose CLI is not installed is a 503 naming the setting, and changes nothing
    assertError(atrium.post("/api/v1/conversations/" + id, new JsonObject().put("content", "hello")), 503,
        "sessions.claude_command");
    assertThat(ok(atrium.get("/api/v1/conversations/" + id + "/inputs"), 200).getJsonArray("inputs")).isEmpty();

    JsonObject deleted = ok(send(HttpMethod.DELETE, "/api/v1/conversations/" + id, null), 200);
    assertThat(deleted.getBoolean("deleted")).isTrue();
    assertError(atrium.get("/api/v1/conversations/" + id), 404, "id");
    assertError(send(HttpMethod.DELETE, "/api/v1/conversations/" + id, null), 404, "id");
  }

  @Test
  void badConversationRequestsAreRefusedNamingTheField() throws Exception {
    ok(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "bad-input")), 201);
    String id = ok(atrium.post("/api/v1/conversations", conversation("bad-input",
        Files.createDirectories(projects.resolve("bad-input-app")))), 201).getString("id");
    String base = "/api/v1/conversations/" + id;
    assertError(atrium.get(base + "/inputs?limit=0"), 400, "limit");
    assertError(atrium.get(base + "/inputs?limit=1001"), 400, "limit");
    assertError(atrium.get(base + "/inputs?limit=ten"), 400, "limit");
    assertError(atrium.get("/api/v1/conversations/00000000-0000-0000-0000-000000000000"), 404, "id");
    assertError(atrium.get("/api/v1/conversations/..%2F..%2Fetc"), 400, "id");
    assertError(atrium.post(base, new JsonObject()), 400, "content");
    assertError(atrium.post(base, new JsonObject().put("content", 42)), 400, "content");
    assertError(atrium.post(base, new JsonObject().put("content", "hi").put("queue", "yes")), 400, "queue");
    assertError(atrium.postRaw(base, "application/json", "{\"content\": "), 400, null);
    assertError(atrium.post(base + "/cancel", new JsonObject()), 409, "id");
    assertThat(ok(atrium.get(base + "/inputs"), 200).getJsonArray("inputs")).isEmpty();
  }

  @Test
  void aDeletedWorkersConversationStaysReadableButTakesNoInput() throws Exception {
    ok(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", "gone")), 201);
    String id = ok(atrium.post("/api/v1/conversations", conversation("gone",
        Files.createDirectories(projects.resolve("gone-app")))), 201).getString("id");
    JsonObject deleted = ok(send(HttpMethod.DELETE, "/api/v1/workers/gone", null), 200);
    assertThat(deleted.getLong("conversations")).isEqualTo(1);
    assertError(send(HttpMethod.DELETE, "/api/v1/workers/gone", null), 404, "worker_name");
    assertThat(ok(atrium.get("/api/v1/conversations/" + id), 200).getString("worker_name")).isEqualTo("gone");
    assertError(atrium.post("/api/v1/conversations/" + id, new JsonObject().put("content", "hi")), 409, "id");
    assertError(atrium.post("/api/v1/conversations", conversation("gone", projects)), 404, "worker_name");
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body) {
    var request = atrium.client.request(method, atrium.port, "127.0.0.1", path);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static JsonObject conversation(String worker, Path project) {
    return new JsonObject().put("worker_name", worker).put("project_path", project.toString());
  }

  private static JsonObject ok(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return response.bodyAsJsonObject();
  }
}
