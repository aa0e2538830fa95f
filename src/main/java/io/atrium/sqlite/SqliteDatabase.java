package io.atrium.sqlite;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Opens the SQLite file through the Vert.x JDBC client on an Agroal data source. WAL lets searches read while the
 * single writer commits; busy_timeout makes a reader wait for a checkpoint instead of failing.
 */
public final class SqliteDatabase {
  private final AgroalDataSource dataSource;
  private final Pool pool;

  private SqliteDatabase(AgroalDataSource dataSource, Pool pool) {
    this.dataSource = dataSource;
    this.pool = pool;
  }

  public static SqliteDatabase open(Vertx vertx, Path file, int maxConnections) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      String url = "jdbc:sqlite:" + file.toAbsolutePath()
          + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=false";
      AgroalDataSource dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
          .connectionPoolConfiguration(pool -> pool
              .maxSize(maxConnections)
              .minSize(0)
              .initialSize(1)
              .acquisitionTimeout(Duration.ofSeconds(30))
              .connectionFactoryConfiguration(factory -> factory
                  .connectionProviderClass(org.sqlite.JDBC.class)
                  .jdbcUrl(url))));
      Pool pool = JDBCPool.pool(vertx, dataSource, new PoolOptions().setMaxSize(maxConnections));
      return new SqliteDatabase(dataSource, pool);
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Runs {@code work} in one SQLite transaction taken with BEGIN IMMEDIATE (the write lock up front, so it never
   * fails half-way on a busy lock). The JDBC client's own begin()/commit() leave the sqlite-jdbc connection in a
   * read snapshot that never sees later commits of other connections (a host app's rows), so SQL is used instead.
   */
  public static <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
        .compose(begun -> work.apply(conn)
            .compose(result -> conn.query("COMMIT").execute().map(result),
                failure -> conn.query("ROLLBACK").execute().transform(ignored -> Future.<T>failedFuture(failure)))));
  }

  public Future<Void> close() {
    return pool.close().eventually(() -> {
      dataSource.close();
      return Future.succeededFuture();
    });
  }
}
