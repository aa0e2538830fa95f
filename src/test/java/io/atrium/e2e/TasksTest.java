package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks (issue 15): an upload answers with a task that is followed to its end — per-file outcomes, progress, events
 * on /ws/notifications — cancelled, retried, and still followed after a restart; an unknown id is 404, never
 * "pending".
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class TasksTest {
  private static final Duration WITHIN = Duration.ofMinutes(2);

  @Test
  void anUploadIsATaskFollowedToItsEndWithEachFilesOutcome(Vertx vertx, @TempDir Path dataDir, @TempDir Path files)
      throws IOException {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    Path good = write(files, "good.txt", "Lighthouses on the Breton coast are kept by the Phares et Balises service.");
    Path other = write(files, "other.txt", "The Ar-Men lighthouse took fourteen years to build on a rock at sea.");
    Path empty = write(files, "empty.txt", "");
    JsonObject accepted = atrium.upload(good, other, empty).bodyAsJsonObject();
    long task = accepted.getLong("task_id");
    try (EventLog events = EventLog.onWebSocket(vertx, atrium.port, "/ws/notifications?task_id=" + task)) {
      JsonObject ended = awaitEnded(atrium, task);
      assertThat(ended.getString("status")).isEqualTo("partial");
      assertThat(ended.getString("kind")).isEqualTo("upload");
      assertThat(ended.getInteger("progress")).isEqualTo(100);
      assertThat(ended.getString("started_at")).isNotNull();
      assertThat(ended.getString("finished_at")).isNotNull();
      JsonArray items = ended.getJsonArray("items");
      assertThat(items).extracting(i -> ((JsonObject) i).getString("file_name"))
          .containsExactly("good.txt", "other.txt", "empty.txt");
      assertThat(items).extracting(i -> ((JsonObject) i).getString("status")).containsExactly("done", "done", "error");
      assertThat(items.getJsonObject(2).getString("error")).isNotBlank();
      JsonObject last = events.await("the task's end on the socket", WITHIN,
          e -> "task".equals(e.getString("event")) && "partial".equals(e.getString("status")) && !e.containsKey("item"));
      assertThat(last.getLong("task_id")).isEqualTo(task);
      assertThat(events.received()).anySatisfy(e -> assertThat(e.getJsonObject("item")).isNotNull());
    }
    JsonArray partial = atrium.get("/api/v1/tasks?status=partial&kind=upload").bodyAsJsonObject().getJsonArray("tasks");
    assertThat(partial).extracting(t -> ((JsonObject) t).getLong("task_id")).contains(task);
  }

  @Test
  void fiftyFilesInOneRequestAreOneTaskWithFiftyItems(Vertx vertx, @TempDir Path dataDir, @TempDir Path files)
      throws IOException {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    List<Path> notes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      notes.add(write(files, "note-" + i + ".txt", "Note " + i + ": the keeper logged " + (i * 7) + " ships passing."));
    }
    JsonObject accepted = atrium.upload(notes.toArray(Path[]::new)).bodyAsJsonObject();
    assertThat(accepted.getJsonArray("resources")).hasSize(50);
    JsonObject ended = awaitEnded(atrium, accepted.getLong("task_id"));
    assertThat(ended.getString("status")).isEqualTo("succeeded");
    assertThat(ended.getJsonArray("items")).hasSize(50)
        .allSatisfy(i -> assertThat(((JsonObject) i).getString("status")).isEqualTo("done"));
    assertThat(ended.getJsonObject("counts").getLong("finished")).isEqualTo(50);
  }

  @Test
  void aClientTricklingItsUploadDoesNotHoldUpAnotherClientsUpload(Vertx vertx, @TempDir Path dataDir, @TempDir Path files)
      throws IOException {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    String boundary = "trickle-boundary";
    String head = "POST /api/v1/documents/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (AtriumHarness.TEST_TOKEN == null ? "" : "Authorization: Bearer " + AtriumHarness.TEST_TOKEN + "\r\n")
        + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 100000\r\n\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"slow.txt\"\r\n\r\n";
    try (RawConnection slow = RawConnection.open(vertx, atrium.port)) {
      slow.send(head).trickle(Buffer.buffer("x".repeat(50_000)), 100, java.time.Duration.ofMillis(50));
      long start = System.nanoTime();
      HttpResponse<Buffer> fast = atrium.upload(write(files, "fast.txt", "An upload that should not wait for the slow one."));
      double ms = (System.nanoTime() - start) / 1e6;
      assertThat(fast.statusCode()).isEqualTo(202);
      assertThat(slow.isOpen()).as("the slow upload is still coming in").isTrue();
      assertThat(ms).as("the other upload is answered while the slow one trickles").isLessThan(5_000);
      awaitEnded(atrium, fast.bodyAsJsonObject().getLong("task_id"));
    }
  }

  @Test
  void aFailedItemIsRetriedOnceItsFileIsFixed(Vertx vertx, @TempDir Path dataDir, @TempDir Path files) throws IOException {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    JsonObject accepted = atrium.upload(write(files, "later.txt", "")).bodyAsJsonObject();
    long task = accepted.getLong("task_id");
    long resource = accepted.getJsonArray("resources").getJsonObject(0).getLong("resource_id");
    assertThat(awaitEnded(atrium, task).getString("status")).isEqualTo("failed");
    assertThat(atrium.post("/api/v1/tasks/" + task + "/retry", new JsonObject()).statusCode()).isEqualTo(202);

    // the stored copy now has text; retried again, the task ends succeeded
    Path stored = atrium.dataDir.resolve(atrium.get("/ingest/status/" + resource).bodyAsJsonObject().getString("file_path"));
    awaitEnded(atrium, task);
    Files.writeString(stored, "Now the note has words in it about tide tables.");
    HttpResponse<Buffer> retried = atrium.post("/api/v1/tasks/" + task + "/retry", new JsonObject());
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(202);
    assertThat(retried.bodyAsJsonObject().getInteger("retried")).isEqualTo(1);
    JsonObject ended = awaitEnded(atrium, task);
    assertThat(ended.getString("status")).isEqualTo("succeeded");
    assertThat(ended.getJsonArray("items").getJsonObject(0).getString("status")).isEqualTo("done");
    HttpResponse<Buffer> nothingLeft = atrium.post("/api/v1/tasks/" + task + "/retry", new JsonObject());
    assertThat(nothingLeft.statusCode()).isEqualTo(409);
  }

  @Test
  void cancellingStopsTheQueuedFilesAndARetryRunsThem(Vertx vertx, @TempDir Path dataDir, @TempDir Path files)
      throws IOException {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_INGEST_CONCURRENCY", "1"));
    List<Path> notes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      notes.add(write(files, "note-" + i + ".txt", "Note " + i + " on the harbour's tide gauges and their readings."));
    }
    long task = atrium.upload(notes.toArray(Path[]::new)).bodyAsJsonObject().getLong("task_id");
    HttpResponse<Buffer> cancelled = atrium.post("/api/v1/tasks/" + task + "/cancel", new JsonObject());
    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    JsonObject task1 = cancelled.bodyAsJsonObject();
    assertThat(task1.getString("status")).isEqualTo("cancelled");
    List<String> statuses = task1.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("status")).toList();
    assertThat(statuses).contains("cancelled");
    assertThat(atrium.post("/api/v1/tasks/" + task + "/cancel", new JsonObject()).statusCode()).as("ended").isEqualTo(409);

    HttpResponse<Buffer> retried = atrium.post("/api/v1/tasks/" + task + "/retry", new JsonObject());
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(202);
    JsonObject ended = awaitEnded(atrium, task);
    assertThat(ended.getString("status")).isEqualTo("succeeded");
    assertThat(ended.getJsonArray("items")).allSatisfy(i -> assertThat(((JsonObject) i).getString("status")).isEqualTo("done"));
  }

  @Test
  void aTaskLeftRunningByAStoppedAtriumIsFollowedToItsEndAfterTheRestart(Vertx vertx, @TempDir Path dataDir,
      @TempDir Path files) throws IOException {
    AtriumHarness first = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_INGEST_CONCURRENCY", "1"));
    List<Path> notes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      notes.add(write(files, "log-" + i + ".txt", "Log " + i + ": the ferry left the quay at dawn with " + i + " cars."));
    }
    long task = first.upload(notes.toArray(Path[]::new)).bodyAsJsonObject().getLong("task_id");
    first.stop();

    AtriumHarness second = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_INGEST_CONCURRENCY", "1"));
    JsonObject ended = awaitEnded(second, task);
    assertThat(ended.getString("status")).isEqualTo("succeeded");
    assertThat(ended.getJsonArray("items")).hasSize(6);
  }

  @Test
  void anUnknownTaskIsNotFoundAndBadQueriesAreRefused(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    assertThat(atrium.get("/api/v1/tasks/424242").statusCode()).isEqualTo(404);
    assertThat(atrium.post("/api/v1/tasks/424242/cancel", new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(atrium.post("/api/v1/tasks/424242/retry", new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(atrium.get("/api/v1/tasks/abc").statusCode()).isEqualTo(400);
    assertThat(atrium.get("/api/v1/tasks?status=finished").statusCode()).isEqualTo(400);
    assertThat(atrium.get("/api/v1/tasks?kind=magic").statusCode()).isEqualTo(400);
    assertThat(atrium.get("/api/v1/tasks?limit=0").statusCode()).isEqualTo(400);
    JsonObject empty = atrium.get("/api/v1/tasks").bodyAsJsonObject();
    assertThat(empty.getJsonArray("tasks")).isEmpty();
    assertThat(empty.getValue("next_cursor")).isNull();
  }

  private static JsonObject awaitEnded(AtriumHarness atrium, long task) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    JsonObject read = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<Buffer> response = atrium.get("/api/v1/tasks/" + task);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      read = response.bodyAsJsonObject();
      if (List.of("succeeded", "failed", "partial", "cancelled").contains(read.getString("status"))) {
        return read;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("task " + task + " did not end: " + read);
  }

  private static Path write(Path dir, String name, String content) throws IOException {
    return Files.writeString(Files.createTempDirectory(dir, "f").resolve(name), content);
  }
}
