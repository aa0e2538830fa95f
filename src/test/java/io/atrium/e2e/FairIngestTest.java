package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small file does not wait for a big one: uploaded while a book embeds, it is done before the book, whose status
 * and notifications meanwhile say how many of its chunks are done, of how many, and about how long it still needs.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class FairIngestTest {

  @Test
  void aOneLineFileUploadedWhileABookEmbedsIsDoneFirst(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    long book = atrium.upload(AtriumHarness.doc("epub/childrens-literature.epub")).bodyAsJsonObject()
        .getJsonArray("resources").getJsonObject(0).getLong("resource_id");
    try (EventLog bookEvents = EventLog.onWebSocket(vertx, atrium.port, "/ws/notifications?resource_id=" + book)) {
      JsonObject embedding = bookEvents.await("the book's first chunks embedded", Duration.ofMinutes(2),
          n -> n.getInteger("chunks_done", 0) > 0);
      assertThat(embedding.getString("status")).isEqualTo("embedding");
      assertThat(embedding.getInteger("chunks_total")).isGreaterThan(100);
      assertThat(embedding.getLong("eta_s")).isNotNull().isNotNegative();

      JsonObject status = atrium.get("/ingest/status/" + book).bodyAsJsonObject();
      assertThat(status.getString("status")).isEqualTo("embedding");
      assertThat(status.getInteger("chunks_total")).isEqualTo(embedding.getInteger("chunks_total"));
      assertThat(status.getInteger("chunks_done")).isPositive();

      long note = atrium.upload(Files.writeString(dataDir.resolve("note.txt"), "One line that should not wait."))
          .bodyAsJsonObject().getJsonArray("resources").getJsonObject(0).getLong("resource_id");
      assertThat(atrium.awaitStatus(note, Duration.ofMinutes(2), "done").getString("status")).isEqualTo("done");
      JsonObject bookNow = atrium.get("/ingest/status/" + book).bodyAsJsonObject();
      assertThat(bookNow.getString("status")).as("the book is still embedding: " + bookNow.encode()).isEqualTo("embedding");
      assertThat(bookNow.getInteger("chunks_done")).isLessThan(bookNow.getInteger("chunks_total"));

      atrium.awaitStatus(book, Duration.ofMinutes(3), "done");
      List<JsonObject> counted = bookEvents.received().stream().filter(n -> n.containsKey("chunks_done")).toList();
      assertThat(counted).extracting(n -> n.getInteger("chunks_done")).isSorted();
    }
    atrium.stop();
  }
}
