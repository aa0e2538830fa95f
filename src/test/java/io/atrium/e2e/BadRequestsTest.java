package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Malformed requests get a 4xx JSON error naming the problem, and change nothing. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class BadRequestsTest {
  @TempDir
  Path dataDir;
  AtriumHarness atrium;

  @BeforeEach
  void start(Vertx vertx) {
    atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_HTTP_UPLOAD_LIMIT_MB", "1"));
  }

  @Test
  void notifyRejectsMalformedBodiesNamingTheField() {
    assertError(atrium.postRaw("/ingest/notify", "application/json", "{\"id\": 1,"), 400, null);
    assertError(atrium.postRaw("/ingest/notify", "application/json", "[1, 2]"), 400, null);
    assertError(atrium.postRaw("/ingest/notify", "application/json", ""), 400, null);
    assertError(atrium.post("/ingest/notify", notification().put("id", "abc")), 400, "id");
    assertError(atrium.post("/ingest/notify", notification().put("id", -4)), 400, "id");
    assertError(atrium.post("/ingest/notify", notification().put("id", 1.5)), 400, "id");
    assertError(atrium.post("/ingest/notify", notification().put("action", "exploded")), 400, "action");
    assertError(atrium.post("/ingest/notify", notification().put("source_type", "folder")), 400, "source_type");
    assertError(atrium.post("/ingest/notify", notification().put("id", 999)), 404, "id");
    String huge = "{\"source_type\":\"resource\",\"id\":1,\"action\":\"created\",\"pad\":\"" + "x".repeat(200_000) + "\"}";
    assertError(atrium.postRaw("/ingest/notify", "application/json", huge), 413, null);
    assertNothingWasCreated();
  }

  @Test
  void outboundUrlsMustBeHttpSoNoFileIsEverReadAsAProvider() {
    JsonObject fileJudge = new JsonObject().put("provider", "openai").put("base_url", "file:///etc/passwd");
    assertError(atrium.post("/search/hybrid", new JsonObject().put("query", "cells").put("rerank", fileJudge)), 400,
        "rerank.base_url");
    assertError(atrium.post("/agent/decompose", new JsonObject().put("title", "plan").put("provider", "openai")
        .put("model", "m").put("base_url", "file:///etc/passwd")), 400, "base_url");
    assertError(atrium.post("/chat/completions", new JsonObject().put("provider", "openai").put("model", "m")
        .put("base_url", "jar:file:/x!/y").put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "hi")))), 400, "base_url");
  }

  @Test
  void statusRetryAndDeleteRejectBadOrUnknownIds() {
    assertError(atrium.get("/ingest/status/abc"), 400, "id");
    assertError(atrium.get("/ingest/status/0"), 400, "id");
    assertError(atrium.get("/ingest/status/999"), 404, "id");
    assertError(atrium.client.post(atrium.port, "127.0.0.1", "/ingest/retry/999").send().await(), 404, "id");
    assertError(atrium.client.delete(atrium.port, "127.0.0.1", "/api/v1/documents/999").send().await(), 404, "id");
    assertError(atrium.get("/no/such/endpoint"), 404, null);
    assertError(atrium.client.put(atrium.port, "127.0.0.1", "/search/hybrid").send().await(), 405, null);
  }

  @Test
  void searchRejectsBadQueriesNamingTheField() {
    assertError(atrium.post("/search/hybrid", new JsonObject()), 400, "query");
    assertError(atrium.post("/search/hybrid", new JsonObject().put("query", 5)), 400, "query");
    assertError(atrium.post("/search/hybrid", new JsonObject().put("query", "   ")), 400, "query");
    assertError(atrium.post("/search/hybrid", new JsonObject().put("query", "?!… —")), 400, "query");
    assertError(atrium.post("/search/hybrid", query().put("top_k", 0)), 400, "top_k");
    assertError(atrium.post("/search/hybrid", query().put("top_k", 100_000)), 400, "top_k");
    assertError(atrium.post("/search/hybrid", query().put("top_k", "ten")), 400, "top_k");
    assertError(atrium.post("/search/hybrid", query().put("fusion", "magic")), 400, "fusion");
    assertError(atrium.post("/search/hybrid", query().put("mode", "psychic")), 400, "mode");
    assertError(atrium.post("/search/hybrid", query().put("weights", new JsonObject().put("vector", 1.5))), 400, "weights");
    assertError(atrium.post("/search/hybrid", query().put("weights", 0.5)), 400, "weights");
    assertError(atrium.post("/search/hybrid", query().put("explain", "yes")), 400, "explain");
    assertError(atrium.post("/search/hybrid", query().put("filters", "pdf")), 400, "filters");
    assertError(atrium.post("/search/hybrid", query().put("filters", new JsonObject().put("task_id", "five"))), 400, "filters.task_id");
    assertError(atrium.post("/search/hybrid", query().put("filters", new JsonObject().put("file_type", 3))), 400, "filters.file_type");
    assertError(atrium.post("/search/hybrid", query().put("filters",
        new JsonObject().put("resource_ids", new JsonArray().add("one")))), 400, "filters.resource_ids");
    assertThat(atrium.post("/search/hybrid", query()).statusCode()).as("a valid query on an empty index").isEqualTo(200);
  }

  @Test
  void uploadRejectsWhatIsNotAFileUploadAndKeepsNothing(@TempDir Path tmp) throws Exception {
    assertError(atrium.post("/api/v1/documents/upload", new JsonObject().put("file", "x")), 400, "files");
    assertError(atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/documents/upload")
        .sendMultipartForm(MultipartForm.create().attribute("task_id", "1")).await(), 400, "files");
    Path small = Files.writeString(tmp.resolve("note.txt"), "a small note about rivers");
    assertError(atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/documents/upload").sendMultipartForm(
        MultipartForm.create().attribute("task_id", "abc").textFileUpload("files", "note.txt", small.toString(), "text/plain"))
        .await(), 400, "task_id");
    assertError(atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/documents/upload").sendMultipartForm(
        MultipartForm.create().attribute("task_id", "777").textFileUpload("files", "note.txt", small.toString(), "text/plain"))
        .await(), 404, "task_id");
    Path big = Files.write(tmp.resolve("big.txt"), new byte[2 * 1024 * 1024]);
    assertError(atrium.upload(big), 413, null);
    assertNothingWasCreated();
  }

  @Test
  void pathTricksInUploadedNamesStayInsideTheDataDirectory(@TempDir Path tmp) throws Exception {
    Path note = Files.writeString(tmp.resolve("n.txt"), "rivers and mountains");
    HttpResponse<Buffer> response = atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/documents/upload").sendMultipartForm(
        MultipartForm.create().textFileUpload("files", "../../../etc/evil\n.txt", note.toString(), "text/plain")).await();
    assertThat(response.statusCode()).isEqualTo(202);
    JsonObject resource = response.bodyAsJsonObject().getJsonArray("resources").getJsonObject(0);
    assertThat(resource.getString("file_name")).startsWith("evil").doesNotContain("/", "\n", "..");
    JsonObject status = atrium.get("/ingest/status/" + resource.getLong("resource_id")).bodyAsJsonObject();
    Path stored = Path.of(status.getString("file_path"));
    assertThat(stored.isAbsolute()).as("shown relative to the data dir").isFalse();
    assertThat(dataDir.resolve(stored).normalize()).startsWith(dataDir.resolve("files"));
  }

  @Test
  void aPlainGetOnAWebSocketIsA400SayingSoAndNoLoggedFailure() {
    int warningsBefore = LogCapture.warnings().size();
    for (String socket : List.of("/ws/notifications", "/ws/notifications?resource_id=1", "/ws/chat?session_id=1")) {
      HttpResponse<Buffer> plain = atrium.get(socket);
      assertError(plain, 400, null);
      assertThat(plain.bodyAsJsonObject().getJsonObject("error").getString("message"))
          .isEqualTo("this endpoint is a WebSocket: connect with Upgrade: websocket");
    }
    // the answer is written after any failure is logged: by now a logged failure would be there
    List<String> warnings = LogCapture.warnings();
    assertThat(warnings.subList(warningsBefore, warnings.size())).as("warnings and errors of the plain GETs").isEmpty();
  }

  private void assertNothingWasCreated() {
    assertThat(atrium.get("/ingest/status/1").statusCode()).isEqualTo(404);
    try (Stream<Path> files = Files.exists(dataDir.resolve("files")) ? Files.list(dataDir.resolve("files")) : Stream.empty()) {
      assertThat(files.toList()).isEmpty();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject notification() {
    return new JsonObject().put("source_type", "resource").put("id", 1).put("action", "created");
  }

  private static JsonObject query() {
    return new JsonObject().put("query", "rivers");
  }

  static void assertError(HttpResponse<Buffer> response, int status, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isNotBlank();
    assertThat(error.getString("message")).isNotBlank();
    if (field != null) {
      assertThat(error.getString("field")).isEqualTo(field);
    }
  }
}
