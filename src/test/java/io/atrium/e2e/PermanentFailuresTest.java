package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that failed for good (a broken document) is not parsed again at every start: it waits until its file
 * changes or a retry asks. One whose file changed is queued again at start.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class PermanentFailuresTest {

  @Test
  void aBrokenFileIsNotParsedAgainAtStartUntilItChangesOrARetryAsks(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness first = new AtriumHarness(vertx, dataDir).start();
    Path broken = AtriumHarness.doc("edge/testWORD_truncated.docx");
    Path other = Files.copy(AtriumHarness.doc("edge/testPDF_malformedXFA.pdf"), dataDir.resolve("changes-later.pdf"));
    List<Long> ids = first.upload(broken, other).bodyAsJsonObject().getJsonArray("resources").stream()
        .map(r -> ((JsonObject) r).getLong("resource_id")).toList();
    for (long id : ids) {
      assertThat(first.awaitStatus(id, Duration.ofMinutes(2), "done", "error").getString("status")).isEqualTo("error");
    }
    first.storeCaughtUp();
    first.stop();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("atrium.db"));
         Statement sql = db.createStatement()) {
      // the second file changed while atrium was down (a host app would write the new hash and mark it dirty)
      sql.execute("UPDATE resources SET file_hash = 'a-new-hash', sync_status = 'dirty' WHERE id = " + ids.get(1));
    }

    int parsesBefore = LogCapture.linesContaining("parse of resource " + ids.get(0) + " failed").size();
    AtriumHarness second = new AtriumHarness(vertx, dataDir).start();
    assertThat(LogCapture.linesContaining("ingest queue rebuilt from the database: 1 resources to index; 1 failed for good"))
        .isNotEmpty();
    JsonObject changed = second.awaitStatus(ids.get(1), Duration.ofMinutes(2), "error", "done");
    assertThat(LogCapture.linesContaining("parse of resource " + ids.get(1) + " failed")).as("the changed file was tried")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(changed.getString("status")).isEqualTo("error");
    JsonObject untouched = second.get("/ingest/status/" + ids.get(0)).bodyAsJsonObject();
    assertThat(untouched.getString("status")).isEqualTo("error");
    assertThat(untouched.getString("last_error")).isNotBlank();
    assertThat(LogCapture.linesContaining("parse of resource " + ids.get(0) + " failed")).as("not parsed at start")
        .hasSize(parsesBefore);

    assertThat(second.post("/ingest/retry/" + ids.get(0), new JsonObject()).statusCode()).isEqualTo(202);
    second.awaitStatus(ids.get(0), Duration.ofMinutes(2), "error");
    second.storeCaughtUp();
    assertThat(LogCapture.linesContaining("parse of resource " + ids.get(0) + " failed")).as("a retry parses it again")
        .hasSize(parsesBefore + 1);
    second.stop();
  }
}
