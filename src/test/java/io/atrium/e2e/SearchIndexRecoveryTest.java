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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite is the truth and Lucene is derived from it: a crash after SQLite committed but before Lucene did, or a
 * Lucene index that is corrupt or gone, is repaired at the next start, and nothing that was indexed is lost.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class SearchIndexRecoveryTest {

  @Test
  void aCrashBetweenTheSqliteCommitAndTheLuceneCommitIsCaughtUpAtRestart(Vertx vertx, @TempDir Path dataDir) throws Exception {
    // Lucene would commit only after an hour: the kill lands after SQLite's commit and before Lucene's
    ChildAtrium child = ChildAtrium.start(dataDir, Map.of("ATRIUM_SEARCH_LUCENE_COMMIT_INTERVAL_MS", "3600000"),
        dataDir.resolve("child.log"));
    long id;
    try {
      child.awaitHealthy(vertx);
      AtriumHarness remote = child.harness(vertx);
      id = remote.uploadIndexed(Files.writeString(dataDir.resolve("quokka.txt"),
          "The quokka is a small marsupial that lives on Rottnest Island.")).getFirst();
      assertThat(resources(remote, "quokka marsupial")).as("searchable before the crash").containsExactly(id);
      assertThat(luceneAppliedSeq(dataDir)).as("Lucene's last commit predates the file").isLessThan(sqliteSeq(dataDir));
    } finally {
      child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: nothing is flushed
    }

    try (EventLog notifications = EventLog.onBus(vertx, Addresses.UI_NOTIFICATIONS)) {
      AtriumHarness restarted = new AtriumHarness(vertx, dataDir).start();
      try {
        awaitLuceneReady(notifications);
        assertThat(notifications.received()).as("caught up, not rebuilt")
            .noneMatch(event -> "rebuilding".equals(event.getString("status")));
        assertThat(resources(restarted, "quokka marsupial")).as("the file the crash left out of Lucene").containsExactly(id);
        // Lucene commits on its own timer (search.lucene_commit_interval_ms) and announces no commit: polled
        try (EventLog ticks = EventLog.ticks(vertx, Duration.ofMillis(100))) {
          long databaseSeq = sqliteSeq(dataDir);
          ticks.awaitState("Lucene's commit to record the database's last change (seq " + databaseSeq + ")",
              Duration.ofSeconds(20), () -> luceneAppliedSeq(dataDir), seq -> seq == databaseSeq);
        }
      } finally {
        restarted.stop();
      }
    }
  }

  @Test
  void aCorruptLuceneIndexIsRebuiltFromSqliteWithProgressEvents(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness first = new AtriumHarness(vertx, dataDir).start();
    long id = first.uploadIndexed(Files.writeString(dataDir.resolve("axolotl.txt"),
        "The axolotl regrows lost limbs and stays aquatic all its life.")).getFirst();
    first.stop();
    try (Stream<Path> files = Files.list(dataDir.resolve("lucene"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("segments")).toList()) {
        Files.write(file, "not a lucene commit".getBytes()); // a torn write of the commit point
      }
    }

    try (EventLog notifications = EventLog.onBus(vertx, Addresses.UI_NOTIFICATIONS)) {
      AtriumHarness second = new AtriumHarness(vertx, dataDir).start();
      try {
        awaitLuceneReady(notifications);
        assertThat(resources(second, "axolotl limbs")).containsExactly(id);
        List<JsonObject> events = searchIndexEvents(notifications);
        assertThat(events).as(events.toString()).extracting(e -> e.getString("status")).contains("rebuilding", "ready");
        assertThat(events.getLast().getInteger("percentage")).isEqualTo(100);
      } finally {
        second.stop();
      }
    }
  }

  @Test
  void aMissingLuceneIndexIsRebuiltAndFtsAnswersMeanwhile(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness first = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_SEARCH_ENGINE", "fts5"));
    long id = first.uploadIndexed(Files.writeString(dataDir.resolve("pangolin.txt"),
        "Pangolins are covered in keratin scales and roll into a ball.")).getFirst();
    first.stop();
    assertThat(dataDir.resolve("lucene")).as("fts5 alone keeps no lucene index").doesNotExist();

    try (EventLog notifications = EventLog.onBus(vertx, Addresses.UI_NOTIFICATIONS)) {
      AtriumHarness second = new AtriumHarness(vertx, dataDir).start();
      try {
        JsonObject meanwhile = second.search(new JsonObject().put("query", "pangolin keratin").put("mode", "fts"));
        assertThat(meanwhile.getJsonArray("results")).isNotEmpty();
        awaitLuceneReady(notifications);
        assertThat(resources(second, "pangolin keratin")).containsExactly(id);
      } finally {
        second.stop();
      }
    }
  }

  private static List<Long> resources(AtriumHarness atrium, String query) {
    JsonObject reply = atrium.search(new JsonObject().put("query", query).put("mode", "fts").put("engine", "lucene"));
    return reply.getJsonArray("results").stream().map(r -> ((JsonObject) r).getLong("resource_id")).distinct().toList();
  }

  /**
   * Waits for the end of Lucene's start-up sync (caught up, or rebuilt from SQLite), as a client sees it: a
   * search_index notification; opened before atrium started. Until then a request naming Lucene is a 503.
   */
  private static void awaitLuceneReady(EventLog notifications) {
    JsonObject end = notifications.await("the end of Lucene's start-up sync", Duration.ofSeconds(60),
        n -> "search_index".equals(n.getString("event")) && List.of("ready", "error").contains(n.getString("status")));
    assertThat(end.getString("status")).as(end.encode()).isEqualTo("ready");
  }

  private static List<JsonObject> searchIndexEvents(EventLog notifications) {
    return notifications.received().stream().filter(n -> "search_index".equals(n.getString("event"))).toList();
  }

  private static long luceneAppliedSeq(Path dataDir) throws Exception {
    try (FSDirectory directory = FSDirectory.open(dataDir.resolve("lucene"))) {
      return Long.parseLong(SegmentInfos.readLatestCommit(directory).getUserData().getOrDefault("applied_seq", "-1"));
    }
  }

  private static long sqliteSeq(Path dataDir) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("atrium.db"));
        ResultSet rows = connection.createStatement().executeQuery("SELECT COALESCE(MAX(seq), 0) FROM index_changes")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
