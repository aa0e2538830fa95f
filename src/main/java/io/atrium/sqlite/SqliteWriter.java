package io.atrium.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The one write connection to the SQLite file, used synchronously by the thread of the single WORKER store verticle.
 * A write is a handful of prepared statements inside one BEGIN IMMEDIATE transaction: driven straight through JDBC
 * it costs one thread and no hand-offs, where the async client spent two thread switches per statement (a small
 * file's transaction is ten statements). Statements are prepared once and reused.
 */
public final class SqliteWriter implements AutoCloseable {
  /** One transaction's work. */
  @FunctionalInterface
  public interface Work<T> {
    T run(SqliteWriter writer) throws SQLException;
  }

  private static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;

  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private SqliteWriter(Connection connection) {
    this.connection = connection;
  }

  public static SqliteWriter open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      SqliteWriter writer = new SqliteWriter(DriverManager.getConnection(SqliteDatabase.url(file)));
      // checkpoints every ~40 MB of WAL instead of 4 MB: a bulk write (a transcript's sync, a book's chunks) pays
      // for copying pages into the database file a tenth as often
      writer.execute("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES);
      return writer;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} in one transaction taken with BEGIN IMMEDIATE (the write lock up front, so it never fails
   * half-way on a busy lock); any exception rolls everything back. The connection stays in autocommit mode between
   * transactions, so it never holds a read snapshot that hides a host app's later commits.
   */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    execute("BEGIN IMMEDIATE");
    try {
      T result = work.run(this);
      execute("COMMIT");
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        execute("ROLLBACK");
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  /** The connection itself, for stores that run their own JDBC on this thread (autocommit between transactions). */
  public Connection connection() {
    return connection;
  }

  /** A cached prepared statement for {@code sql}; its parameters are cleared before it is handed out. */
  public PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    } else {
      statement.clearParameters();
    }
    return statement;
  }

  /** Runs {@code sql} with {@code params} and answers the number of rows it changed. */
  public int update(String sql, Object... params) throws SQLException {
    PreparedStatement statement = prepare(sql);
    bind(statement, params);
    return statement.executeUpdate();
  }

  /** Runs an INSERT … RETURNING of one row and answers the returned (first) column. */
  public long insertReturningId(String sql, Object... params) throws SQLException {
    PreparedStatement insert = prepare(sql);
    bind(insert, params);
    try (java.sql.ResultSet rows = insert.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  public void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  public static void bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
  }

  @Override
  public void close() {
    try {
      for (PreparedStatement statement : statements.values()) {
        statement.close();
      }
      connection.close();
    } catch (SQLException ignored) {
      // closing at shutdown: nothing useful is left to do with the failure
    }
  }
}
