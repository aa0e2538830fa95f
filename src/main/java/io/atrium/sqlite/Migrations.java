package io.atrium.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
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
          "CREATE INDEX IF NOT EXISTS retrieval_logs_by_time ON retrieval_logs(created_at)"),
      // 3: agent suggestions (seed 000: suggested_subtasks of a task, suggested_tags of a resource), kept apart from
      // the host's tasks and resources rows: the host app decides what to apply
      List.of(
          """
          CREATE TABLE IF NOT EXISTS agent_suggestions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            task_id INTEGER,
            resource_id INTEGER,
            status TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            suggested_subtasks TEXT,
            suggested_tags TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at TEXT NOT NULL DEFAULT %s,
            updated_at TEXT NOT NULL DEFAULT %s
          )""".formatted(NOW, NOW),
          "CREATE INDEX IF NOT EXISTS agent_suggestions_by_task ON agent_suggestions(task_id, id)",
          "CREATE INDEX IF NOT EXISTS agent_suggestions_by_resource ON agent_suggestions(resource_id, id)"),
      // 4: media files found by the scanner (seed 003), one row per (device, inode): a renamed or re-linked file is the
      // same row and is never processed twice
      List.of(
          """
          CREATE TABLE IF NOT EXISTS media_files (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            path TEXT NOT NULL,
            relative_path TEXT NOT NULL,
            size INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'PENDING',
            reason TEXT,
            media_type TEXT,
            title TEXT,
            year INTEGER,
            season INTEGER,
            episode INTEGER,
            recognized_by TEXT,
            tmdb_id INTEGER,
            tmdb_title TEXT,
            tmdb_year INTEGER,
            target_path TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            claimed_at TEXT,
            next_attempt_at TEXT,
            created_at TEXT NOT NULL DEFAULT %s,
            updated_at TEXT NOT NULL DEFAULT %s,
            UNIQUE (device, inode)
          )""".formatted(NOW, NOW),
          "CREATE INDEX IF NOT EXISTS media_files_by_status ON media_files(status, id)"),
      // 5: the newest index change of each resource, written in the same transaction as its chunks; derived indexes
      // (Lucene) remember the last seq they applied and catch up from here after a crash. One row per resource:
      // a change replaces the row, with a new seq.
      List.of(
          """
          CREATE TABLE IF NOT EXISTS index_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            resource_id INTEGER NOT NULL UNIQUE,
            action TEXT NOT NULL
          )"""),
      // 6: files that failed permanently (refused, encrypted, a bomb, no text), with the hash they failed at: the
      // queue rebuilt at start leaves them until the file changes or POST /ingest/retry asks (a transient failure has
      // no row here and is tried again). atrium's own table, so a host's resources table keeps seed 000's columns.
      List.of(
          """
          CREATE TABLE IF NOT EXISTS atrium_failed_files (
            resource_id INTEGER PRIMARY KEY,
            file_hash TEXT NOT NULL,
            reason TEXT,
            failed_at TEXT NOT NULL DEFAULT %s
          )""".formatted(NOW)),
      // 7: coding-agent sessions (seed 001): its three tables, columns and seven indexes verbatim (JSON columns as
      // TEXT); session_runs is atrium's own: one row per input run, so a restart can end what a killed process left
      // running and GET …/inputs can tell each input's outcome.
      List.of(
          """
          CREATE TABLE IF NOT EXISTS workers (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            env_vars TEXT NOT NULL DEFAULT '{}',
            command_params TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL DEFAULT %s
          )""".formatted(NOW),
          """
          CREATE TABLE IF NOT EXISTS conversations (
            id TEXT PRIMARY KEY,
            worker_id TEXT NOT NULL REFERENCES workers(id),
            project_path TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT %s,
            last_activity TEXT NOT NULL DEFAULT %s,
            is_current INTEGER NOT NULL DEFAULT 0,
            raw_conversation_id TEXT,
            metadata TEXT NOT NULL DEFAULT '{}'
          )""".formatted(NOW, NOW),
          """
          CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            worker_id TEXT NOT NULL REFERENCES workers(id),
            message_type TEXT NOT NULL,
            uuid TEXT NOT NULL UNIQUE,
            content TEXT NOT NULL,
            timestamp TEXT
          )""",
          "CREATE INDEX IF NOT EXISTS idx_workers_type ON workers(type)",
          "CREATE INDEX IF NOT EXISTS idx_conversations_worker ON conversations(worker_id)",
          "CREATE INDEX IF NOT EXISTS idx_conversations_project ON conversations(project_path)",
          "CREATE INDEX IF NOT EXISTS idx_conversations_current ON conversations(worker_id, is_current)",
          "CREATE INDEX IF NOT EXISTS idx_messages_conversation ON messages(conversation_id)",
          "CREATE INDEX IF NOT EXISTS idx_messages_worker ON messages(worker_id)",
          "CREATE INDEX IF NOT EXISTS idx_messages_timestamp ON messages(timestamp)",
          """
          CREATE TABLE IF NOT EXISTS session_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id TEXT NOT NULL,
            status TEXT NOT NULL,
            pid INTEGER,
            result TEXT,
            error TEXT,
            error_code TEXT,
            started_at TEXT NOT NULL DEFAULT %s,
            finished_at TEXT
          )""".formatted(NOW),
          "CREATE INDEX IF NOT EXISTS session_runs_by_conversation ON session_runs(conversation_id, id)"),
      // 8: a synced conversation is searchable: its messages are the chunks of one resource (file_type
      // 'conversation', never queued for parsing), and this row says which conversation and worker it is
      List.of(
          """
          CREATE TABLE IF NOT EXISTS conversation_index (
            conversation_id TEXT PRIMARY KEY,
            resource_id INTEGER NOT NULL UNIQUE,
            worker_id TEXT NOT NULL
          )"""),
      // 9: a synced transcript line stays in atrium's message log beside the conversation's inputs, and its row
      // points at it (content_offset, content_length) with content NULL: the lines' bytes in SQLite made a sync
      // write each page twice (WAL, then checkpoint). SQLite cannot drop a NOT NULL, so the table is rebuilt.
      List.of(
          """
          CREATE TABLE messages_v9 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            worker_id TEXT NOT NULL REFERENCES workers(id),
            message_type TEXT NOT NULL,
            uuid TEXT NOT NULL UNIQUE,
            content TEXT,
            timestamp TEXT,
            content_offset INTEGER,
            content_length INTEGER,
            CHECK ((content IS NULL) <> (content_offset IS NULL))
          )""",
          "INSERT INTO messages_v9 (id, conversation_id, worker_id, message_type, uuid, content, timestamp) "
              + "SELECT id, conversation_id, worker_id, message_type, uuid, content, timestamp FROM messages ORDER BY id",
          "DROP TABLE messages",
          "ALTER TABLE messages_v9 RENAME TO messages",
          "CREATE INDEX IF NOT EXISTS idx_messages_conversation ON messages(conversation_id)",
          "CREATE INDEX IF NOT EXISTS idx_messages_worker ON messages(worker_id)",
          "CREATE INDEX IF NOT EXISTS idx_messages_timestamp ON messages(timestamp)"),
      // 10: knowledge bases, each with its own chunk settings (null: the configured ones); base 1 is the default,
      // which holds what is uploaded without naming a base. atrium_documents says which base an upload (or a
      // notified resource, once it is indexed) belongs to, its name as uploaded and the hash of its bytes, so the
      // same file uploaded twice into one base is recognised before a second copy is made.
      List.of(
          """
          CREATE TABLE IF NOT EXISTS knowledge_bases (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            description TEXT,
            chunk_size INTEGER,
            chunk_overlap INTEGER,
            embedding_model TEXT,
            callback_url TEXT,
            created_at TEXT NOT NULL DEFAULT %s,
            updated_at TEXT NOT NULL DEFAULT %s
          )""".formatted(NOW, NOW),
          "INSERT OR IGNORE INTO knowledge_bases (id, name, description) VALUES (1, 'default', "
              + "'What is uploaded without naming a knowledge base')",
          """
          CREATE TABLE IF NOT EXISTS atrium_documents (
            resource_id INTEGER PRIMARY KEY,
            knowledge_base_id INTEGER NOT NULL REFERENCES knowledge_bases(id),
            file_name TEXT NOT NULL,
            size INTEGER,
            content_hash TEXT,
            created_at TEXT NOT NULL DEFAULT %s
          )""".formatted(NOW),
          "CREATE INDEX IF NOT EXISTS atrium_documents_by_base ON atrium_documents(knowledge_base_id, resource_id)",
          "CREATE INDEX IF NOT EXISTS atrium_documents_by_hash ON atrium_documents(knowledge_base_id, content_hash)"),
      // 11: tasks, the long jobs clients follow (an upload batch, a re-index): the id is the tasks row's when atrium
      // owns that table (so filters.task_id and chat sessions keep meaning the upload), its own otherwise. An item's
      // outcome is recorded when it ends within the task; until then its state is its resource's processing_stage.
      List.of(
          """
          CREATE TABLE IF NOT EXISTS atrium_tasks (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            knowledge_base_id INTEGER,
            callback_url TEXT,
            callback_events TEXT,
            error TEXT,
            created_at TEXT NOT NULL DEFAULT %s,
            started_at TEXT,
            finished_at TEXT
          )""".formatted(NOW),
          "CREATE INDEX IF NOT EXISTS atrium_tasks_by_status ON atrium_tasks(status, id)",
          """
          CREATE TABLE IF NOT EXISTS atrium_task_items (
            task_id INTEGER NOT NULL,
            resource_id INTEGER NOT NULL,
            file_name TEXT,
            outcome TEXT,
            error TEXT,
            PRIMARY KEY (task_id, resource_id)
          )""",
          "CREATE INDEX IF NOT EXISTS atrium_task_items_by_resource ON atrium_task_items(resource_id)"),
      // 12: webhook deliveries of tasks' callbacks and each attempt at one (the delivery log); a pending delivery
      // is tried again after a restart at its next_attempt_at (epoch ms)
      List.of(
          """
          CREATE TABLE IF NOT EXISTS atrium_webhook_deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id INTEGER NOT NULL,
            webhook_id TEXT NOT NULL UNIQUE,
            event TEXT NOT NULL,
            url TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            created_ms INTEGER NOT NULL,
            next_attempt_ms INTEGER,
            created_at TEXT NOT NULL DEFAULT %s,
            delivered_at TEXT
          )""".formatted(NOW),
          "CREATE INDEX IF NOT EXISTS atrium_webhook_deliveries_by_task ON atrium_webhook_deliveries(task_id, id)",
          "CREATE INDEX IF NOT EXISTS atrium_webhook_deliveries_by_status ON atrium_webhook_deliveries(status, id)",
          """
          CREATE TABLE IF NOT EXISTS atrium_webhook_attempts (
            delivery_id INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            at TEXT NOT NULL DEFAULT %s,
            http_status INTEGER,
            latency_ms INTEGER,
            error TEXT,
            PRIMARY KEY (delivery_id, attempt)
          )""".formatted(NOW)));

  private Migrations() {
  }

  /** Brings the schema up to date; answers whether the resources table belongs to a host app. */
  public static boolean migrate(SqliteWriter writer) throws SQLException {
    writer.execute("CREATE TABLE IF NOT EXISTS atrium_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    int version = queryInt(writer, "SELECT COALESCE(MAX(version), 0) FROM atrium_migrations");
    boolean hostOwned = version > 0
        ? "host".equals(queryString(writer, "SELECT value FROM atrium_meta WHERE key = 'resources_owner'"))
        : resourcesTableExists(writer); // on the very first start, an existing resources table was made by the host app
    for (int next = version + 1; next <= STEPS.size(); next++) {
      int step = next;
      writer.inTransaction(w -> {
        boolean resourcesExisted = resourcesTableExists(w);
        for (String statement : STEPS.get(step - 1)) {
          w.execute(statement);
        }
        if (step == 1) {
          w.update("INSERT OR REPLACE INTO atrium_meta (key, value) VALUES ('resources_owner', ?)",
              resourcesExisted ? "host" : "atrium");
        }
        return w.update("INSERT INTO atrium_migrations (version, applied_at) VALUES (?, " + NOW + ")", step);
      });
      LOG.info("schema migrated to version {}", step);
    }
    return hostOwned;
  }

  private static boolean resourcesTableExists(SqliteWriter writer) throws SQLException {
    return queryInt(writer, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'resources'") > 0;
  }

  private static int queryInt(SqliteWriter writer, String sql) throws SQLException {
    try (ResultSet rows = writer.prepare(sql).executeQuery()) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }

  private static String queryString(SqliteWriter writer, String sql) throws SQLException {
    try (ResultSet rows = writer.prepare(sql).executeQuery()) {
      return rows.next() ? rows.getString(1) : null;
    }
  }
}
