package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The WebSocket shows each file's stages in order and percentages that only rise, to 100 at done. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class ProgressNotificationsTest {

  @Test
  void webSocketSeesChunkingThenEmbeddingThenDoneWithRisingPercentages(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    // resource 2 is the second file of the upload below
    try (EventLog all = EventLog.onWebSocket(vertx, atrium.port, "/ws/notifications");
         EventLog filtered = EventLog.onWebSocket(vertx, atrium.port, "/ws/notifications?resource_id=2")) {
      var resources = atrium.upload(AtriumHarness.doc("pdf/tracemonkey.pdf"), AtriumHarness.doc("epub/childrens-literature.epub"))
          .bodyAsJsonObject().getJsonArray("resources");
      long pdf = resources.getJsonObject(0).getLong("resource_id");
      long book = resources.getJsonObject(1).getLong("resource_id");
      assertThat(book).isEqualTo(2);
      all.await("the paper's done notification", Duration.ofMinutes(3), notification(pdf, "done"));
      all.await("the book's done notification", Duration.ofMinutes(3), notification(book, "done"));
      filtered.await("the book's done notification on the filtered socket", Duration.ofSeconds(30), notification(book, "done"));

      for (long id : List.of(pdf, book)) {
        List<JsonObject> mine = all.received().stream().filter(n -> Long.valueOf(id).equals(n.getLong("resource_id"))).toList();
        assertThat(mine).allSatisfy(n -> assertThat(n.fieldNames()).contains("resource_id", "event", "status", "percentage"));
        List<String> stages = mine.stream().map(n -> n.getString("status")).distinct().toList();
        assertThat(stages).containsExactly("todo", "chunking", "embedding", "done");
        List<Integer> percentages = mine.stream().map(n -> n.getInteger("percentage")).toList();
        assertThat(percentages).isSorted();
        assertThat(percentages.getLast()).isEqualTo(100);
      }
      assertThat(all.received().stream().filter(n -> Long.valueOf(book).equals(n.getLong("resource_id")) && "embedding".equals(n.getString("status"))).count())
          .as("a long book reports embedding progress more than once").isGreaterThan(2);
      assertThat(filtered.received()).isNotEmpty().allSatisfy(n -> assertThat(n.getLong("resource_id")).isEqualTo(book));
    } finally {
      atrium.stop(); // before the temp folder goes: Lucene may still be writing its commit there
    }
  }

  private static java.util.function.Predicate<JsonObject> notification(long resourceId, String status) {
    return n -> Long.valueOf(resourceId).equals(n.getLong("resource_id")) && status.equals(n.getString("status"));
  }
}
