package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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
    ChildAtrium first = start(dataDir, Map.of(), "first.log");
    first.awaitHealthy(vertx);
    AtriumHarness firstApi = first.harness(vertx);
    HttpResponse<Buffer> upload = firstApi.client.post(first.port, "127.0.0.1", "/api/v1/documents/upload")
        .sendMultipartForm(MultipartForm.create().binaryFileUpload("files", "childrens-literature.epub",
            AtriumHarness.doc("epub/childrens-literature.epub").toString(), "application/epub+zip")).await();
    long id = upload.bodyAsJsonObject().getJsonArray("resources").getJsonObject(0).getLong("resource_id");
    firstApi.awaitStatus(id, Duration.ofMinutes(2), "embedding");
    first.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no chance to save anything

    ChildAtrium second = start(dataDir, Map.of(), "second.log");
    second.awaitHealthy(vertx);
    AtriumHarness secondApi = second.harness(vertx);
    JsonObject done = secondApi.awaitStatus(id, Duration.ofMinutes(3), "done");
    assertThat(done.getInteger("percentage")).isEqualTo(100);
    JsonObject hit = secondApi.search(new JsonObject().put("query", "one hundred gold pieces to each of his nine sons")
        .put("top_k", 3));
    assertThat(hit.getJsonArray("results").getJsonObject(0).getLong("resource_id")).isEqualTo(id);
    assertThat(Files.readString(second.log)).contains("1 resources to index");
  }

  @Test
  void shutdownAnswersThenExitsZero(Vertx vertx, @TempDir Path dataDir) throws Exception {
    ChildAtrium atrium = start(dataDir, Map.of(), "atrium.log");
    atrium.awaitHealthy(vertx);
    assertThat(atrium.harness(vertx).post("/shutdown", new JsonObject()).statusCode()).isEqualTo(202);
    assertThat(atrium.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(atrium.process.exitValue()).isZero();
  }

  @Test
  void sigtermDrainsAsShutdownDoesThenExitsZero(Vertx vertx, @TempDir Path dataDir) throws Exception {
    ChildAtrium atrium = start(dataDir, Map.of(), "atrium.log");
    atrium.awaitHealthy(vertx);
    atrium.harness(vertx).upload(Files.writeString(dataDir.resolve("note.txt"), "A note in flight at the SIGTERM."));
    atrium.process.destroy(); // SIGTERM, as docker stop sends it
    assertThat(atrium.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(atrium.process.exitValue()).isZero();
    String log = Files.readString(dataDir.resolve("atrium.log"));
    assertThat(log).contains("SIGTERM: draining").contains("ingest drained");
    assertThat(log).as("a clean stop logs no stack trace").doesNotContain("RejectedExecutionException")
        .doesNotContain("\tat ");
  }

  @Test
  void exitsWhenTheParentClosesStandardInput(Vertx vertx, @TempDir Path dataDir) throws Exception {
    ChildAtrium atrium = start(dataDir, Map.of("ATRIUM_SIDECAR_PARENT", "stdin"), "atrium.log");
    atrium.awaitHealthy(vertx);
    atrium.process.getOutputStream().close();
    assertThat(atrium.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(atrium.process.exitValue()).isZero();
  }

  @Test
  void exitsWhenHeartbeatsStop(Vertx vertx, @TempDir Path dataDir) throws Exception {
    ChildAtrium atrium = start(dataDir,
        Map.of("ATRIUM_SIDECAR_PARENT", "heartbeat", "ATRIUM_SIDECAR_HEARTBEAT_TIMEOUT_S", "3"), "atrium.log");
    atrium.awaitHealthy(vertx);
    List<Integer> answers = beatOncePerSecond(vertx, atrium.harness(vertx), 5);
    assertThat(answers).as("every heartbeat over 4 s, past the 3 s timeout, was answered").containsOnly(200);
    assertThat(atrium.process.isAlive()).as("alive while heartbeats come").isTrue();
    assertThat(atrium.process.waitFor(60, TimeUnit.SECONDS)).as("exited after heartbeats stopped").isTrue();
    assertThat(atrium.process.exitValue()).isZero();
  }

  /** A parent that sends {@code beats} heartbeats, the first now and then one a second; answers their statuses. */
  private static List<Integer> beatOncePerSecond(Vertx vertx, AtriumHarness atrium, int beats) {
    List<Integer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    Promise<List<Integer>> allAnswered = Promise.promise();
    vertx.setPeriodic(1, 1000, timer -> atrium.client.post(atrium.port, "127.0.0.1", "/heartbeat").send()
        .onComplete(answer -> {
          answers.add(answer.succeeded() ? answer.result().statusCode() : -1);
          if (answers.size() == beats) {
            vertx.cancelTimer(timer);
            allAnswered.complete(answers);
          }
        }));
    return allAnswered.future().await();
  }
}
