package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** atrium as a real child process: killed mid-ingest it loses nothing; it leaves with its parent; it shuts down cleanly. */
@ExtendWith(VertxExtension.class)
class SidecarLifecycleTest {
  private final List<ChildAtrium> children = new ArrayList<>();

  @AfterEach
  void noChildOutlivesItsTest() {
    children.forEach(child -> child.process.destroyForcibly());
  }

  private ChildAtrium start(Path dataDir, Map<String, String> env, String log) throws Exception {
    ChildAtrium child = ChildAtrium.start(dataDir, env, dataDir.resolve(log));
    children.add(child);
    return child;
  }

  @Test
  void killedMidIngestTheFileCompletesAfterRestart(Vertx vertx, @TempDir Path dataDir) throws Exception {
    WebClient client = WebClient.create(vertx);
    ChildAtrium first = start(dataDir, Map.of(), "first.log");
    first.awaitHealthy(client);
    HttpResponse<Buffer> upload = client.post(first.port, "127.0.0.1", "/api/v1/documents/upload")
        .sendMultipartForm(MultipartForm.create().binaryFileUpload("files", "moby-dick.epub",
            AtriumHarness.doc("epub/moby-dick.epub").toString(), "application/epub+zip")).await();
    long id = upload.bodyAsJsonObject().getJsonArray("resources").getJsonObject(0).getLong("resource_id");
    awaitStatus(client, first, id, "embedding", Duration.ofMinutes(2));
    first.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no chance to save anything

    ChildAtrium second = start(dataDir, Map.of(), "second.log");
    second.awaitHealthy(client);
      JsonObject done = awaitStatus(client, second, id, "done", Duration.ofMinutes(5));
      assertThat(done.getInteger("percentage")).isEqualTo(100);
      JsonObject hit = client.post(second.port, "127.0.0.1", "/search/hybrid")
          .sendJsonObject(new JsonObject().put("query", "Call me Ishmael").put("top_k", 3)).await().bodyAsJsonObject();
      assertThat(hit.getJsonArray("results").getJsonObject(0).getLong("resource_id")).isEqualTo(id);
    assertThat(Files.readString(second.log)).contains("1 resources to index");
  }

  @Test
  void shutdownAnswersThenExitsZero(Vertx vertx, @TempDir Path dataDir) throws Exception {
    WebClient client = WebClient.create(vertx);
    ChildAtrium atrium = start(dataDir, Map.of(), "atrium.log");
    atrium.awaitHealthy(client);
    assertThat(client.post(atrium.port, "127.0.0.1", "/shutdown").send().await().statusCode()).isEqualTo(202);
    assertThat(atrium.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(atrium.process.exitValue()).isZero();
  }

  @Test
  void exitsWhenTheParentClosesStandardInput(Vertx vertx, @TempDir Path dataDir) throws Exception {
    WebClient client = WebClient.create(vertx);
    ChildAtrium atrium = start(dataDir, Map.of("ATRIUM_SIDECAR_PARENT", "stdin"), "atrium.log");
    atrium.awaitHealthy(client);
    atrium.process.getOutputStream().close();
    assertThat(atrium.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(atrium.process.exitValue()).isZero();
  }

  @Test
  void exitsWhenHeartbeatsStop(Vertx vertx, @TempDir Path dataDir) throws Exception {
    WebClient client = WebClient.create(vertx);
    ChildAtrium atrium = start(dataDir,
        Map.of("ATRIUM_SIDECAR_PARENT", "heartbeat", "ATRIUM_SIDECAR_HEARTBEAT_TIMEOUT_S", "3"), "atrium.log");
    atrium.awaitHealthy(client);
    for (int i = 0; i < 4; i++) {
      assertThat(client.post(atrium.port, "127.0.0.1", "/heartbeat").send().await().statusCode()).isEqualTo(200);
      AtriumHarness.sleep(1000);
    }
    assertThat(atrium.process.isAlive()).as("alive while heartbeats come").isTrue();
    assertThat(atrium.process.waitFor(60, TimeUnit.SECONDS)).as("exited after heartbeats stopped").isTrue();
    assertThat(atrium.process.exitValue()).isZero();
  }

  private static JsonObject awaitStatus(WebClient client, ChildAtrium atrium, long id, String wanted, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject status = null;
    while (System.nanoTime() < deadline) {
      status = client.get(atrium.port, "127.0.0.1", "/ingest/status/" + id).send().await().bodyAsJsonObject();
      if (wanted.equals(status.getString("status"))) {
        return status;
      }
      AtriumHarness.sleep(100);
    }
    throw new AssertionError("no " + wanted + " for " + id + "; last " + status);
  }
}
