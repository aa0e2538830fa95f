package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000's sidecar contract: the desktop host owns the SQLite file and writes resources rows; atrium indexes
 * them on notify, writes only its own columns and tables, and re-indexes only when file_hash changes.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class HostDatabaseTest {

  @Test
  void hostRowsAreIndexedOnNotifyAndOnlyAtriumsColumnsChange(Vertx vertx, @TempDir Path dataDir, @TempDir Path hostDir) throws Exception {
    Path hostDb = hostDir.resolve("app.db");
    Path paper = Files.copy(AtriumHarness.doc("pdf/tracemonkey.pdf"), hostDir.resolve("paper.pdf"));
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + hostDb); Statement sql = db.createStatement()) {
      sql.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT, status TEXT, priority TEXT)");
      sql.execute("CREATE TABLE resources (id INTEGER PRIMARY KEY, file_path TEXT NOT NULL, file_hash TEXT, file_type TEXT, "
          + "task_id INTEGER, display_name TEXT, sync_status TEXT DEFAULT 'pending', indexed_hash TEXT, processing_hash TEXT, "
          + "last_indexed_at TEXT, processing_stage TEXT DEFAULT 'todo', last_error TEXT, created_at TEXT)");
      sql.execute("INSERT INTO tasks VALUES (5, 'Learn compilers', 'read papers', 'todo', 'High')");
    }
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_STORE_DB_PATH", hostDb.toString()));

    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + hostDb); Statement sql = db.createStatement()) {
      sql.execute("INSERT INTO resources (id, file_path, file_hash, file_type, task_id, display_name, sync_status, processing_stage, created_at) "
          + "VALUES (101, '" + paper + "', 'hash-v1', 'pdf', 5, 'TraceMonkey paper', 'pending', 'todo', '2026-01-01')");
    }
    JsonObject accepted = atrium.post("/ingest/notify", notify("created")).bodyAsJsonObject();
    assertThat(accepted.getBoolean("accepted")).as(accepted.encode()).isTrue();
    assertThat(accepted.getBoolean("queued")).isTrue();
    atrium.awaitStatus(101, Duration.ofMinutes(3), "done");

    Map<String, Object> row = row(hostDb, "SELECT * FROM resources WHERE id = 101");
    assertThat(row).containsEntry("file_path", paper.toString()).containsEntry("file_hash", "hash-v1")
        .containsEntry("file_type", "pdf").containsEntry("task_id", 5).containsEntry("display_name", "TraceMonkey paper")
        .containsEntry("created_at", "2026-01-01")
        .containsEntry("sync_status", "synced").containsEntry("indexed_hash", "hash-v1").containsEntry("processing_stage", "done")
        .containsEntry("processing_hash", null).containsEntry("last_error", null);
    assertThat(row.get("last_indexed_at")).isNotNull();
    assertThat(row(hostDb, "SELECT COUNT(*) AS n FROM tasks")).containsEntry("n", 1);
    assertThat(topResource(atrium, "trace-based just-in-time compiler", 5)).isEqualTo(101);

    // the same file notified again is not re-embedded
    Map<String, Object> chunksBefore = row(hostDb, "SELECT MIN(id) AS first, COUNT(*) AS n FROM context_chunks WHERE resource_id = 101");
    JsonObject again = atrium.post("/ingest/notify", notify("updated")).bodyAsJsonObject();
    assertThat(again.getBoolean("queued")).isFalse();
    assertThat(again.getString("reason")).isEqualTo("unchanged");
    assertThat(row(hostDb, "SELECT MIN(id) AS first, COUNT(*) AS n FROM context_chunks WHERE resource_id = 101")).isEqualTo(chunksBefore);
    assertThat(row(hostDb, "SELECT last_indexed_at FROM resources WHERE id = 101").get("last_indexed_at")).isEqualTo(row.get("last_indexed_at"));

    // the host replaces the file: a new hash is re-indexed, the old text is gone
    Path book = Files.copy(AtriumHarness.doc("epub/wasteland.epub"), hostDir.resolve("book.epub"));
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + hostDb); Statement sql = db.createStatement()) {
      sql.execute("UPDATE resources SET file_path = '" + book + "', file_hash = 'hash-v2', file_type = 'epub' WHERE id = 101");
    }
    try (EventLog progress = EventLog.onBus(vertx, Addresses.EVENTS_PROGRESS)) {
      assertThat(atrium.post("/ingest/notify", notify("updated")).bodyAsJsonObject().getBoolean("queued")).isTrue();
      JsonObject ended = progress.await("the end of resource 101's new run", Duration.ofMinutes(2),
          e -> e.getLong("resource_id") == 101 && List.of("done", "error").contains(e.getString("stage")));
      assertThat(ended.getString("stage")).as(ended.encode()).isEqualTo("done");
    }
    assertThat(row(hostDb, "SELECT indexed_hash FROM resources WHERE id = 101")).containsEntry("indexed_hash", "hash-v2");
    assertThat(topResource(atrium, "April is the cruellest month", 5)).isEqualTo(101);
    assertThat(atrium.search(new JsonObject().put("query", "TraceMonkey").put("mode", "fts"))
        .getJsonArray("results").size()).as("chunks of the replaced file are gone").isZero();

    // deleted: chunks and vectors go, the host's row stays the host's
    assertThat(atrium.post("/ingest/notify", notify("deleted")).statusCode()).isEqualTo(200);
    assertThat(row(hostDb, "SELECT COUNT(*) AS n FROM context_chunks WHERE resource_id = 101")).containsEntry("n", 0);
    assertThat(row(hostDb, "SELECT COUNT(*) AS n FROM chunk_vectors WHERE resource_id = 101")).containsEntry("n", 0);
    assertThat(row(hostDb, "SELECT COUNT(*) AS n FROM resources WHERE id = 101")).containsEntry("n", 1);
    assertThat(atrium.search(new JsonObject().put("query", "cruellest")).getJsonArray("results").size()).isZero();
  }

  private static long topResource(AtriumHarness atrium, String query, long taskId) {
    JsonObject response = atrium.search(new JsonObject().put("query", query)
        .put("filters", new JsonObject().put("task_id", taskId)));
    assertThat(response.getJsonArray("results")).isNotEmpty();
    return response.getJsonArray("results").getJsonObject(0).getLong("resource_id");
  }

  private static JsonObject notify(String action) {
    return new JsonObject().put("source_type", "resource").put("id", 101).put("action", action);
  }

  static Map<String, Object> row(Path db, String query) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
         Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(query)) {
      Map<String, Object> row = new LinkedHashMap<>();
      if (rows.next()) {
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
        }
      }
      return row;
    }
  }
}
