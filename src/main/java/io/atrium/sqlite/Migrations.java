package io.atrium.sqlite;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema. Each migration runs once, in its own transaction, and is recorded in atrium_migrations.
 * A database a host app created keeps its own resources and tasks tables: they are created only if missing,
 * and atrium remembers in atrium_meta that the host owns them.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final String NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

  /** Migration n is STEPS.get(n - 1). Never edit a released step; append a new one. */
  static final List<List<String>> STEPS = List.of(List.of(
      """
      CREATE TABLE IF NOT EXISTS tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL,
        description TEXT,
        status TEXT NOT NULL DEFAULT 'todo',
        created_at TEXT NOT NULL DEFAULT %s,
        updated_at TEXT NOT NULL DEFAULT %s
      )""".formatted(NOW, NOW),
      """
      CREATE TABLE IF NOT EXISTS resources (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_path TEXT NOT NULL,
        file_hash TEXT,
        file_type TEXT,
        task_id INTEGER,
        sync_status TEXT NOT NULL DEFAULT 'pending',
        indexed_hash TEXT,
        processing_hash TEXT,
        last_indexed_at TEXT,
        processing_stage TEXT DEFAULT 'todo',
        last_error TEXT,
        created_at TEXT NOT NULL DEFAULT %s
      )""".formatted(NOW),
      """
      CREATE TABLE IF NOT EXISTS context_chunks (
        id INTEGER PRIMARY KEY,
        resource_id INTEGER NOT NULL,
        chunk_index INTEGER NOT NULL,
        content TEXT NOT NULL,
        page INTEGER,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        token_count INTEGER NOT NULL,
        created_at TEXT NOT NULL DEFAULT %s
      )""".formatted(NOW),
      "CREATE INDEX IF NOT EXISTS context_chunks_by_resource ON context_chunks(resource_id, chunk_index)",
      // rowid = context_chunks.id; 'terms' holds the text with CJK runs spelled as overlapping bigrams
      "CREATE VIRTUAL TABLE IF NOT EXISTS context_chunks_fts USING fts5(terms, tokenize = 'porter unicode61 remove_diacritics 2')",
      """
      CREATE TABLE IF NOT EXISTS chunk_vectors (
        chunk_id INTEGER PRIMARY KEY,
        resource_id INTEGER NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
      )""",
      "CREATE INDEX IF NOT EXISTS chunk_vectors_by_resource ON chunk_vectors(resource_id)",
      "CREATE TABLE IF NOT EXISTS atrium_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
      // 2: chat sessions, their messages, and seed 004's retrieval_logs (one row per chat question; never a key)
      List.of(
          """
          CREATE TABLE IF NOT EXISTS chat_sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            task_id INTEGER,
            resource_id INTEGER,
            created_at TEXT NOT NULL DEFAULT %s,
            updated_at TEXT NOT NULL DEFAULT %s
          )""".formatted(NOW, NOW),
          """
          CREATE TABLE IF NOT EXISTS chat_messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            provider TEXT,
            model TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            citations TEXT,
            created_at TEXT NOT NULL DEFAULT %s
          )""".formatted(NOW),
          "CREATE INDEX IF NOT EXISTS chat_messages_by_session ON chat_messages(session_id, id)",
          """
          CREATE TABLE IF NOT EXISTS retrieval_logs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            request_id TEXT NOT NULL,
            session_id INTEGER,
            question TEXT NOT NULL,
            retrieved_chunk_ids TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            streamed INTEGER NOT NULL DEFAULT 0,
            latency_ms INTEGER NOT NULL,
            first_token_ms INTEGER,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            outcome TEXT NOT NULL,
            error_code TEXT,
            error TEXT,
            created_at TEXT NOT NULL DEFAULT %s
          )""".formatted(NOW),
          "CREATE INDEX IF NOT EXISTS retrieval_logs_by_time ON retrieval_logs(created_at)"));

  private Migrations() {
  }

  /** Brings the schema up to date; answers whether the resources table belongs to a host app. */
  public static Future<Boolean> migrate(Pool pool) {
    return pool.withConnection(conn -> conn
        .query("CREATE TABLE IF NOT EXISTS atrium_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        .execute()
        .compose(v -> currentVersion(conn))
        .compose(version -> hostOwnsResources(conn, version).compose(hostOwned ->
            applyFrom(conn, version + 1).map(hostOwned))));
  }

  private static Future<Integer> currentVersion(SqlConnection conn) {
    return conn.query("SELECT COALESCE(MAX(version), 0) AS v FROM atrium_migrations").execute()
        .map(rows -> rows.iterator().next().getInteger("v"));
  }

  /** On the very first start, a resources table that already exists was made by the host app. */
  private static Future<Boolean> hostOwnsResources(SqlConnection conn, int version) {
    if (version > 0) {
      return conn.query("SELECT value FROM atrium_meta WHERE key = 'resources_owner'").execute()
          .map(rows -> rows.size() > 0 && "host".equals(rows.iterator().next().getString("value")));
    }
    return conn.query("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'resources'").execute()
        .map(rows -> rows.iterator().next().getInteger("n") > 0);
  }

  private static Future<Void> applyFrom(SqlConnection conn, int version) {
    if (version > STEPS.size()) {
      return Future.succeededFuture();
    }
    return conn.query("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'resources'").execute()
        .map(rows -> rows.iterator().next().getInteger("n") > 0)
        .compose(resourcesExisted -> conn.query("BEGIN IMMEDIATE").execute()
            .compose(begun -> runAll(conn, STEPS.get(version - 1), 0)
                .compose(v -> version == 1 ? recordOwner(conn, resourcesExisted) : Future.succeededFuture())
                .compose(v -> conn.preparedQuery("INSERT INTO atrium_migrations (version, applied_at) VALUES (?, " + NOW + ")")
                    .execute(Tuple.of(version)))
                .compose(v -> conn.query("COMMIT").execute(),
                    failure -> conn.query("ROLLBACK").execute().transform(ignored -> Future.failedFuture(failure)))))
        .onSuccess(v -> LOG.info("schema migrated to version {}", version))
        .compose(v -> applyFrom(conn, version + 1));
  }

  private static Future<Void> recordOwner(SqlConnection conn, boolean hostOwned) {
    return conn.preparedQuery("INSERT OR REPLACE INTO atrium_meta (key, value) VALUES ('resources_owner', ?)")
        .execute(Tuple.of(hostOwned ? "host" : "atrium")).mapEmpty();
  }

  private static Future<Void> runAll(SqlConnection conn, List<String> statements, int index) {
    if (index == statements.size()) {
      return Future.succeededFuture();
    }
    return conn.query(statements.get(index)).execute().compose(v -> runAll(conn, statements, index + 1));
  }

  static int latestVersion() {
    return STEPS.size();
  }
}
