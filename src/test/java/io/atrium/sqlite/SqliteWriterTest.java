package io.atrium.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class SqliteWriterTest {

  @Test
  void afterATransactionTheReadersAndTheWriterSeeOtherWritersCommits(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("shared.db");
    try (SqliteWriter writer = SqliteWriter.open(file)) {
      Migrations.migrate(writer);
      writer.inTransaction(w -> w.update("INSERT INTO resources (id, file_path) VALUES (?, ?)", 1, "a"));

      try (Connection host = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = host.createStatement()) {
        sql.execute("INSERT INTO resources (id, file_path) VALUES (2, 'b')");
      }

      assertThat(writer.update("UPDATE resources SET last_error = NULL WHERE id IN (1, 2)")).isEqualTo(2);
      SqliteDatabase readers = SqliteDatabase.open(vertx, file, 1);
      int seen = readers.pool().query("SELECT COUNT(*) AS n FROM resources").execute().await().iterator().next().getInteger("n");
      assertThat(seen).isEqualTo(2);
      readers.close().await();
    }
  }

  @Test
  void aFailedTransactionLeavesNothingBehind(@TempDir Path dir) throws Exception {
    try (SqliteWriter writer = SqliteWriter.open(dir.resolve("a.db"))) {
      Migrations.migrate(writer);
      assertThatThrownBy(() -> writer.inTransaction(w -> {
        w.update("INSERT INTO resources (id, file_path) VALUES (?, ?)", 1, "a");
        throw new SQLException("second step failed");
      })).hasMessageContaining("second step failed");
      try (ResultSet rows = writer.prepare("SELECT COUNT(*) FROM resources").executeQuery()) {
        rows.next();
        assertThat(rows.getInt(1)).isZero();
      }
    }
  }

  @Test
  void migratingTwiceIsANoOpAndAHostsResourcesTableIsRecognised(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("host.db");
    try (Connection host = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = host.createStatement()) {
      sql.execute("CREATE TABLE resources (id INTEGER PRIMARY KEY, file_path TEXT NOT NULL, file_hash TEXT, file_type TEXT, "
          + "task_id INTEGER, sync_status TEXT, indexed_hash TEXT, processing_hash TEXT, last_indexed_at TEXT, "
          + "processing_stage TEXT, last_error TEXT)");
    }
    try (SqliteWriter writer = SqliteWriter.open(file)) {
      assertThat(Migrations.migrate(writer)).isTrue();
      assertThat(Migrations.migrate(writer)).isTrue();
    }
  }

  @Test
  void messagesStoredInTheRowBeforeVersion9KeepTheirContentAndIdsAfterIt(@TempDir Path dir) throws Exception {
    try (SqliteWriter writer = SqliteWriter.open(dir.resolve("old.db"))) {
      writer.execute("CREATE TABLE atrium_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
      for (int step = 1; step <= 8; step++) {
        for (String statement : Migrations.STEPS.get(step - 1)) {
          writer.execute(statement);
        }
        writer.update("INSERT INTO atrium_migrations (version, applied_at) VALUES (?, 'then')", step);
      }
      writer.execute("INSERT OR REPLACE INTO atrium_meta (key, value) VALUES ('resources_owner', 'atrium')");
      writer.execute("INSERT INTO workers (id, type, env_vars, command_params) VALUES ('w', 'claudecode', '{}', '[]')");
      writer.execute("INSERT INTO conversations (id, worker_id, project_path, name) VALUES ('c1', 'w', '/p', 'n')");
      writer.execute("INSERT INTO messages (id, conversation_id, worker_id, message_type, uuid, content, timestamp) "
          + "VALUES (41, 'c1', 'w', 'user', 'u-1', '{\"type\":\"user\"}', 't')");

      Migrations.migrate(writer);

      try (ResultSet row = writer.prepare("SELECT id, content, content_offset FROM messages WHERE uuid = 'u-1'")
          .executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getLong("id")).isEqualTo(41);
        assertThat(row.getString("content")).isEqualTo("{\"type\":\"user\"}");
        assertThat(row.getObject("content_offset")).isNull();
      }
      writer.execute("INSERT INTO messages (conversation_id, worker_id, message_type, uuid, content_offset, "
          + "content_length) VALUES ('c1', 'w', 'user', 'u-2', 0, 10)");
      try (ResultSet row = writer.prepare("SELECT id FROM messages WHERE uuid = 'u-2'").executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getLong("id")).as("ids go on after the old rows'").isEqualTo(42);
      }
      assertThatThrownBy(() -> writer.execute("INSERT INTO messages (conversation_id, worker_id, message_type, uuid) "
          + "VALUES ('c1', 'w', 'user', 'u-3')")).as("a row holds its content or points at it").isInstanceOf(SQLException.class);
      try (ResultSet indexes = writer.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' "
          + "AND name LIKE 'idx_messages_%'").executeQuery()) {
        assertThat(indexes.getInt(1)).isEqualTo(3);
      }
    }
  }
}
