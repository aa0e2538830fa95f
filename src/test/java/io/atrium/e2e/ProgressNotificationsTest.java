package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The WebSocket shows each file's stages in order and percentages that only rise, to 100 at done. */
@ExtendWith(VertxExtension.class)
class ProgressNotificationsTest {

  @AfterEach
  void noEventLoopWasBlocked() {
    assertThat(LogCapture.blockedThreadWarnings()).isEmpty();
  }

  @Test
  void webSocketSeesChunkingThenEmbeddingThenDoneWithRisingPercentages(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    List<JsonObject> all = new CopyOnWriteArrayList<>();
    List<JsonObject> filtered = new CopyOnWriteArrayList<>();
    WebSocketClient sockets = vertx.createWebSocketClient();
    sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(atrium.port).setURI("/ws/notifications"))
        .await().textMessageHandler(text -> all.add(new JsonObject(text)));
    // resource 2 is the second file of the upload below
    sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(atrium.port).setURI("/ws/notifications?resource_id=2"))
        .await().textMessageHandler(text -> filtered.add(new JsonObject(text)));

    var resources = atrium.upload(AtriumHarness.doc("pdf/tracemonkey.pdf"), AtriumHarness.doc("epub/moby-dick.epub"))
        .bodyAsJsonObject().getJsonArray("resources");
    long pdf = resources.getJsonObject(0).getLong("resource_id");
    long book = resources.getJsonObject(1).getLong("resource_id");
    assertThat(book).isEqualTo(2);
    atrium.awaitStatus(pdf, Duration.ofMinutes(3), "done");
    atrium.awaitStatus(book, Duration.ofMinutes(5), "done");
    awaitNotification(all, book, "done");

    for (long id : List.of(pdf, book)) {
      List<JsonObject> mine = all.stream().filter(n -> n.getLong("resource_id") == id).toList();
      assertThat(mine).allSatisfy(n -> assertThat(n.fieldNames()).contains("resource_id", "event", "status", "percentage"));
      List<String> stages = mine.stream().map(n -> n.getString("status")).distinct().toList();
      assertThat(stages).containsExactly("todo", "chunking", "embedding", "done");
      List<Integer> percentages = mine.stream().map(n -> n.getInteger("percentage")).toList();
      assertThat(percentages).isSorted();
      assertThat(percentages.getLast()).isEqualTo(100);
    }
    assertThat(all.stream().filter(n -> n.getLong("resource_id") == book && "embedding".equals(n.getString("status"))).count())
        .as("a long book reports embedding progress more than once").isGreaterThan(2);
    assertThat(filtered).isNotEmpty().allSatisfy(n -> assertThat(n.getLong("resource_id")).isEqualTo(book));
  }

  private static void awaitNotification(List<JsonObject> seen, long id, String status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (seen.stream().anyMatch(n -> n.getLong("resource_id") == id && status.equals(n.getString("status")))) {
        return;
      }
      AtriumHarness.sleep(50);
    }
    throw new AssertionError("no " + status + " notification for " + id + " in " + seen);
  }
}
