package io.atrium.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class SqliteDatabaseTest {

  @Test
  void afterATransactionTheConnectionStillSeesOtherWritersCommits(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("shared.db");
    SqliteDatabase database = SqliteDatabase.open(vertx, file, 1);
    Migrations.migrate(database.pool()).await();
    SqliteDatabase.inTransaction(database.pool(), conn ->
        conn.query("INSERT INTO resources (id, file_path) VALUES (1, 'a')").execute()).await();

    try (Connection host = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = host.createStatement()) {
      sql.execute("INSERT INTO resources (id, file_path) VALUES (2, 'b')");
    }

    int seen = database.pool().query("SELECT COUNT(*) AS n FROM resources").execute().await().iterator().next().getInteger("n");
    assertThat(seen).isEqualTo(2);
    database.close().await();
  }

  @Test
  void aFailedTransactionLeavesNothingBehind(Vertx vertx, @TempDir Path dir) {
    SqliteDatabase database = SqliteDatabase.open(vertx, dir.resolve("a.db"), 1);
    Migrations.migrate(database.pool()).await();
    Future<Object> failed = SqliteDatabase.inTransaction(database.pool(), conn ->
        conn.query("INSERT INTO resources (id, file_path) VALUES (1, 'a')").execute()
            .compose(v -> Future.failedFuture("second step failed")));
    assertThatThrownBy(failed::await).hasMessageContaining("second step failed");
    int rows = database.pool().query("SELECT COUNT(*) AS n FROM resources").execute().await().iterator().next().getInteger("n");
    assertThat(rows).isZero();
    database.close().await();
  }
}
