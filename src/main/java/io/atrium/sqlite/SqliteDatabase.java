package io.atrium.sqlite;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.JDBC;

/**
 * Read connections to the SQLite file through the Vert.x JDBC client on an Agroal data source (writes go through
 * {@link SqliteWriter}). WAL lets searches read while the single writer commits; busy_timeout makes a reader wait
 * for a checkpoint instead of failing.
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
      String url = url(file);
      AgroalDataSource dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
          .connectionPoolConfiguration(pool -> pool
              .maxSize(maxConnections)
              .minSize(0)
              .initialSize(1)
              .acquisitionTimeout(Duration.ofSeconds(30))
              .connectionFactoryConfiguration(factory -> factory
                  .connectionProviderClass(JDBC.class)
                  .jdbcUrl(url))));
      Pool pool = JDBCPool.pool(vertx, dataSource, new PoolOptions().setMaxSize(maxConnections));
      return new SqliteDatabase(dataSource, pool);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  public Pool pool() {
    return pool;
  }

  /** The JDBC URL of {@code file} with atrium's connection settings. */
  static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath() + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=false";
  }

  public Future<Void> close() {
    return pool.close().eventually(() -> {
      dataSource.close();
      return Future.succeededFuture();
    });
  }
}
