package io.atrium.store;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.sqlite.SqliteWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The tables of seed 001 — workers, conversations, messages — and atrium's session_runs, on the store writer's
 * thread. Checks of meaning (name rule, project folder, worker type) are the sessions verticle's; this class keeps
 * the rows consistent: a duplicate worker is a 409, an unknown id a 404, a conversation's sync offset moves in the
 * same transaction as the messages read up to it, so a crash never skips or repeats a message.
 */
final class SessionStore {
  private static final String NOW = ResourceStore.NOW;
  /** Rows of one INSERT of synced messages (6 parameters each, well under SQLite's 32,766). */
  private static final int ROWS_PER_INSERT = 100;
  private static final int MESSAGE_COLUMNS = 8;
  /** The file_hash and indexed_hash of a conversation's resource: it has no file to change. */
  static final String CONVERSATION_HASH = "conversation";

  private final SqliteWriter writer;

  private SessionStore(SqliteWriter writer) {
    this.writer = writer;
  }

  static Future<Void> register(Vertx vertx, SqliteWriter writer) {
    SessionStore store = new SessionStore(writer);
    return Future.all(List.of(
        Bus.serveSync(vertx, Addresses.STORE_WORKER_CREATE, store::createWorker),
        Bus.serveSync(vertx, Addresses.STORE_WORKER_LIST, store::listWorkers),
        Bus.serveSync(vertx, Addresses.STORE_WORKER_GET, body -> store.worker(name(body))),
        Bus.serveSync(vertx, Addresses.STORE_WORKER_DELETE, store::deleteWorker),
        Bus.serveSync(vertx, Addresses.STORE_CONVERSATION_CREATE, store::createConversation),
        Bus.serveSync(vertx, Addresses.STORE_CONVERSATION_LIST, store::listConversations),
        Bus.serveSync(vertx, Addresses.STORE_CONVERSATION_GET, body -> store.conversation(conversationId(body))),
        Bus.serveSync(vertx, Addresses.STORE_CONVERSATION_UPDATE, store::updateConversation),
        Bus.serveSync(vertx, Addresses.STORE_CONVERSATION_DELETE, store::deleteConversation),
        Bus.serveSync(vertx, Addresses.STORE_CONVERSATION_RESOURCE, store::conversationResource),
        Bus.serveSync(vertx, Addresses.STORE_MESSAGES_APPEND, store::appendMessages),
        Bus.serveSync(vertx, Addresses.STORE_MESSAGES_LIST, store::listMessages),
        Bus.serveSync(vertx, Addresses.STORE_RUN_START, store::startRun),
        Bus.serveSync(vertx, Addresses.STORE_RUN_FINISH, store::finishRun),
        Bus.serveSync(vertx, Addresses.STORE_RUN_LIST, store::listRuns),
        Bus.serveSync(vertx, Addresses.STORE_RUN_ABANDON, body -> store.abandonRuns(
            Fields.text(body, "error", 2000, true))))).mapEmpty();
  }

  /** {worker_name, type, env_vars, command_params} → the worker; 409 when the name is taken. */
  private JsonObject createWorker(JsonObject body) throws SQLException {
    String name = name(body);
    return writer.inTransaction(w -> {
      PreparedStatement insert = w.prepare("INSERT INTO workers (id, type, env_vars, command_params) VALUES (?, ?, ?, ?) "
          + "ON CONFLICT (id) DO NOTHING");
      SqliteWriter.bind(insert, name, Fields.text(body, "type", 64, true),
          body.getJsonObject("env_vars", new JsonObject()).encode(),
          body.getJsonArray("command_params", new JsonArray()).encode());
      if (insert.executeUpdate() == 0) {
        throw ErrorCode.CONFLICT.exception("a worker named " + name + " already exists", "worker_name");
      }
      return workerRow(w, name);
    });
  }

  /** {worker_name?} → {workers: [...]}, by name. */
  private JsonObject listWorkers(JsonObject body) throws SQLException {
    String name = Fields.text(body, "worker_name", 64, false);
    PreparedStatement select = writer.prepare(name == null ? "SELECT * FROM workers ORDER BY id"
        : "SELECT * FROM workers WHERE id = ? ORDER BY id");
    if (name != null) {
      SqliteWriter.bind(select, name);
    }
    JsonArray workers = new JsonArray();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        workers.add(worker(rows));
      }
    }
    return new JsonObject().put("workers", workers);
  }

  private JsonObject worker(String name) throws SQLException {
    return workerRow(writer, name);
  }

  private static JsonObject workerRow(SqliteWriter w, String name) throws SQLException {
    PreparedStatement select = w.prepare("SELECT * FROM workers WHERE id = ?");
    SqliteWriter.bind(select, name);
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        throw ErrorCode.NOT_FOUND.exception("worker " + name + " does not exist", "worker_name");
      }
      return worker(rows);
    }
  }

  /**
   * {worker_name} → {deleted: true, conversations}: the worker goes; its conversations stay readable (their history
   * is the user's), and take no new input until a worker of that name exists again.
   */
  private JsonObject deleteWorker(JsonObject body) throws SQLException {
    String name = name(body);
    return writer.inTransaction(w -> {
      if (w.update("DELETE FROM workers WHERE id = ?", name) == 0) {
        throw ErrorCode.NOT_FOUND.exception("worker " + name + " does not exist", "worker_name");
      }
      PreparedStatement count = w.prepare("SELECT COUNT(*) FROM conversations WHERE worker_id = ?");
      SqliteWriter.bind(count, name);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return new JsonObject().put("deleted", true).put("worker_name", name).put("conversations", rows.getLong(1));
      }
    });
  }

  /**
   * {id, worker_name, project_path, name, metadata?} → the conversation, now the worker's current one for that folder (the
   * others of the same worker and folder stop being current); 404 when the worker does not exist.
   */
  private JsonObject createConversation(JsonObject body) throws SQLException {
    String id = conversationId(body);
    String worker = name(body);
    String projectPath = Fields.exactText(body, "project_path", 4096);
    String title = Fields.text(body, "name", 500, true);
    return writer.inTransaction(w -> {
      workerRow(w, worker);
      w.update("UPDATE conversations SET is_current = 0 WHERE worker_id = ? AND project_path = ?", worker, projectPath);
      w.update("INSERT INTO conversations (id, worker_id, project_path, name, is_current, metadata) VALUES (?, ?, ?, ?, 1, ?)",
          id, worker, projectPath, title, body.getJsonObject("metadata", new JsonObject()).encode());
      return conversationRow(w, id);
    });
  }

  /** {worker_name?, limit, offset} → {conversations: [...], total}, the most recently active first. */
  private JsonObject listConversations(JsonObject body) throws SQLException {
    String worker = Fields.text(body, "worker_name", 64, false);
    long limit = body.getLong("limit", 100L);
    long offset = body.getLong("offset", 0L);
    String where = worker == null ? "" : " WHERE worker_id = ?";
    PreparedStatement select = writer.prepare("SELECT * FROM conversations" + where
        + " ORDER BY last_activity DESC, id LIMIT ? OFFSET ?");
    SqliteWriter.bind(select, worker == null ? new Object[] {limit, offset} : new Object[] {worker, limit, offset});
    JsonArray conversations = new JsonArray();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        conversations.add(conversation(rows));
      }
    }
    PreparedStatement count = writer.prepare("SELECT COUNT(*) FROM conversations" + where);
    if (worker != null) {
      SqliteWriter.bind(count, worker);
    }
    try (ResultSet rows = count.executeQuery()) {
      rows.next();
      return new JsonObject().put("conversations", conversations).put("total", rows.getLong(1));
    }
  }

  private JsonObject conversation(String id) throws SQLException {
    return conversationRow(writer, id);
  }

  private static JsonObject conversationRow(SqliteWriter w, String id) throws SQLException {
    PreparedStatement select = w.prepare("SELECT * FROM conversations WHERE id = ?");
    SqliteWriter.bind(select, id);
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        throw ErrorCode.NOT_FOUND.exception("conversation " + id + " does not exist", "id");
      }
      return conversation(rows);
    }
  }

  /**
   * {id, name?, raw_conversation_id?, metadata? (merged into the stored object), touch?} → the conversation. A
   * raw id once set is kept: the CLI's session is the conversation's for good.
   */
  private JsonObject updateConversation(JsonObject body) throws SQLException {
    String id = conversationId(body);
    String title = Fields.text(body, "name", 500, false);
    String rawId = Fields.text(body, "raw_conversation_id", 200, false);
    JsonObject metadata = body.getJsonObject("metadata");
    boolean touch = Boolean.TRUE.equals(Fields.optionalBoolean(body, "touch"));
    return writer.inTransaction(w -> {
      JsonObject current = conversationRow(w, id);
      if (title != null) {
        w.update("UPDATE conversations SET name = ? WHERE id = ?", title, id);
      }
      if (rawId != null) {
        w.update("UPDATE conversations SET raw_conversation_id = COALESCE(raw_conversation_id, ?) WHERE id = ?", rawId, id);
      }
      if (metadata != null) {
        w.update("UPDATE conversations SET metadata = ? WHERE id = ?",
            current.getJsonObject("metadata").mergeIn(metadata).encode(), id);
      }
      if (touch) {
        w.update("UPDATE conversations SET last_activity = " + NOW + " WHERE id = ?", id);
      }
      return conversationRow(w, id);
    });
  }

  /**
   * {id} → {deleted: true, conversation, messages, resource_id?}: the row, its messages and its runs, in one
   * transaction; the resource holding its search chunks is named for the caller to delete (that delete announces
   * the index change).
   */
  private JsonObject deleteConversation(JsonObject body) throws SQLException {
    String id = conversationId(body);
    return writer.inTransaction(w -> {
      JsonObject conversation = conversationRow(w, id);
      Long resourceId = indexedResource(w, id);
      int messages = w.update("DELETE FROM messages WHERE conversation_id = ?", id);
      w.update("DELETE FROM session_runs WHERE conversation_id = ?", id);
      w.update("DELETE FROM conversation_index WHERE conversation_id = ?", id);
      w.update("DELETE FROM conversations WHERE id = ?", id);
      return new JsonObject().put("deleted", true).put("conversation", conversation).put("messages", messages)
          .put("resource_id", resourceId);
    });
  }

  /**
   * {conversation_id} → {resource_id}: the resource whose chunks make the conversation searchable, made on first
   * use: file_type 'conversation', already synced, so the ingest queue never takes it for a file to parse.
   */
  private JsonObject conversationResource(JsonObject body) throws SQLException {
    String id = conversationId(body);
    return writer.inTransaction(w -> {
      JsonObject conversation = conversationRow(w, id);
      Long known = indexedResource(w, id);
      if (known != null && exists(w, "SELECT 1 FROM resources WHERE id = ?", known)) {
        return new JsonObject().put("resource_id", known);
      }
      // file_hash = the hash every indexing records, so a replace leaves it synced and a restart never queues it
      PreparedStatement insert = w.prepare("INSERT INTO resources (file_path, file_hash, file_type, sync_status, "
          + "processing_stage) VALUES (?, '" + CONVERSATION_HASH + "', 'conversation', 'synced', 'done') RETURNING id");
      SqliteWriter.bind(insert, "conversations/" + conversation.getString("worker_id") + "/" + id);
      long resourceId;
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        resourceId = rows.getLong(1);
      }
      w.update("INSERT INTO conversation_index (conversation_id, resource_id, worker_id) VALUES (?, ?, ?) "
          + "ON CONFLICT (conversation_id) DO UPDATE SET resource_id = excluded.resource_id", id, resourceId,
          conversation.getString("worker_id"));
      return new JsonObject().put("resource_id", resourceId);
    });
  }

  private static Long indexedResource(SqliteWriter w, String conversationId) throws SQLException {
    PreparedStatement select = w.prepare("SELECT resource_id FROM conversation_index WHERE conversation_id = ?");
    SqliteWriter.bind(select, conversationId);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getLong(1) : null;
    }
  }

  private static boolean exists(SqliteWriter w, String sql, Object param) throws SQLException {
    PreparedStatement select = w.prepare(sql);
    SqliteWriter.bind(select, param);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next();
    }
  }

  /**
   * {conversation_id, messages: [{uuid, message_type, content | content_json | content_offset + content_length,
   * timestamp?}], sync: {…}?, count?} → {added, total (unless count is false)}: messages whose uuid is known are
   * skipped; {@code sync} (where the next sync starts) is stored in the conversation's metadata in the same
   * transaction. A message with {@code content_offset} has its line in the conversation's message log, not here.
   */
  private JsonObject appendMessages(JsonObject body) throws SQLException {
    String id = conversationId(body);
    JsonArray messages = body.getJsonArray("messages", new JsonArray());
    JsonObject sync = body.getJsonObject("sync");
    return writer.inTransaction(w -> {
      JsonObject conversation = conversationRow(w, id);
      int added = 0;
      // many rows per statement: with a statement per row, sqlite-jdbc's per-call cost was most of a sync's time
      for (int start = 0; start < messages.size(); start += ROWS_PER_INSERT) {
        int rows = Math.min(ROWS_PER_INSERT, messages.size() - start);
        Object[] params = new Object[rows * MESSAGE_COLUMNS];
        for (int i = 0; i < rows; i++) {
          JsonObject message = messages.getJsonObject(start + i);
          int p = i * MESSAGE_COLUMNS;
          params[p] = id;
          params[p + 1] = conversation.getString("worker_id");
          params[p + 2] = Fields.text(message, "message_type", 64, true);
          params[p + 3] = Fields.text(message, "uuid", 200, true);
          boolean inLog = message.containsKey("content_offset");
          params[p + 4] = inLog ? null : content(message);
          params[p + 5] = message.getString("timestamp");
          params[p + 6] = inLog ? nonNegative(message, "content_offset") : null;
          params[p + 7] = inLog ? nonNegative(message, "content_length") : null;
        }
        added += w.update(insertMessages(rows), params);
      }
      if (sync != null) {
        w.update("UPDATE conversations SET metadata = ? WHERE id = ?",
            conversation.getJsonObject("metadata").put("sync", sync).encode(), id);
      }
      if (!body.getBoolean("count", true)) {
        return new JsonObject().put("added", added);
      }
      PreparedStatement count = w.prepare("SELECT COUNT(*) FROM messages WHERE conversation_id = ?");
      SqliteWriter.bind(count, id);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return new JsonObject().put("added", added).put("total", rows.getLong(1));
      }
    });
  }

  private static String insertMessages(int rows) {
    return "INSERT INTO messages (conversation_id, worker_id, message_type, uuid, content, timestamp, content_offset, "
        + "content_length) VALUES " + String.join(", ", java.util.Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?, ?, ?)"))
        + " ON CONFLICT (uuid) DO NOTHING";
  }

  /** A message's content as JSON text: given as text ({@code content_json}, checked to be an object) or as an object. */
  private static String content(JsonObject message) {
    Object text = message.getValue("content_json");
    if (text instanceof String json) {
      if (!json.startsWith("{")) {
        throw ErrorCode.INVALID_REQUEST.exception("content_json must be a JSON object", "content_json");
      }
      return json;
    }
    return message.getJsonObject("content").encode();
  }

  private static long nonNegative(JsonObject message, String field) {
    if (!(message.getValue(field) instanceof Number n) || n instanceof Double || n instanceof Float || n.longValue() < 0) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be a non-negative integer", field);
    }
    return n.longValue();
  }

  private static JsonObject inlineContent(ResultSet rows) throws SQLException {
    String content = rows.getString("content");
    return content == null ? null : new JsonObject(content);
  }

  /**
   * {conversation_id, limit, after_id | before_id} → {messages: [...], total}: oldest first from after_id on, or
   * newest first before before_id; a message whose
   * line is in the message log has {@code content: null} and its {@code content_offset}, {@code content_length}.
   */
  private JsonObject listMessages(JsonObject body) throws SQLException {
    String id = conversationId(body);
    conversation(id);
    PreparedStatement select;
    if (body.containsKey("before_id")) {
      select = writer.prepare("SELECT * FROM messages WHERE conversation_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
      SqliteWriter.bind(select, id, body.getLong("before_id"), body.getLong("limit", 100L));
    } else {
      select = writer.prepare("SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?");
      SqliteWriter.bind(select, id, body.getLong("after_id", 0L), body.getLong("limit", 100L));
    }
    JsonArray messages = new JsonArray();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        messages.add(new JsonObject().put("id", rows.getLong("id")).put("conversation_id", rows.getString("conversation_id"))
            .put("worker_id", rows.getString("worker_id")).put("message_type", rows.getString("message_type"))
            .put("uuid", rows.getString("uuid")).put("content", inlineContent(rows))
            .put("timestamp", rows.getString("timestamp")));
        if (rows.getObject("content_offset") != null) {
          // the line is in the conversation's message log: the sessions verticle reads it in place of the null
          messages.getJsonObject(messages.size() - 1).put("content_offset", rows.getLong("content_offset"))
              .put("content_length", rows.getLong("content_length"));
        }
      }
    }
    PreparedStatement count = writer.prepare("SELECT COUNT(*) FROM messages WHERE conversation_id = ?");
    SqliteWriter.bind(count, id);
    try (ResultSet rows = count.executeQuery()) {
      rows.next();
      return new JsonObject().put("messages", messages).put("total", rows.getLong(1));
    }
  }

  /** {conversation_id, status (queued|running), pid?} → the run; a second call with run_id updates status and pid. */
  private JsonObject startRun(JsonObject body) throws SQLException {
    String status = Fields.text(body, "status", 20, true);
    Long runId = Fields.optionalPositiveLong(body, "run_id");
    Long pid = Fields.optionalPositiveLong(body, "pid");
    return writer.inTransaction(w -> {
      if (runId != null) {
        w.update("UPDATE session_runs SET status = ?, pid = COALESCE(?, pid) WHERE id = ?", status, pid, runId);
        return runRow(w, runId);
      }
      String id = conversationId(body);
      conversationRow(w, id);
      PreparedStatement insert = w.prepare("INSERT INTO session_runs (conversation_id, status, pid) VALUES (?, ?, ?) "
          + "RETURNING id");
      SqliteWriter.bind(insert, id, status, pid);
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return runRow(w, rows.getLong(1));
      }
    });
  }

  /** {run_id, status (done|error|cancelled), result?, error?, error_code?} → the run. */
  private JsonObject finishRun(JsonObject body) throws SQLException {
    long runId = Fields.positiveLong(body, "run_id");
    JsonObject result = body.getJsonObject("result");
    return writer.inTransaction(w -> {
      w.update("UPDATE session_runs SET status = ?, result = ?, error = ?, error_code = ?, finished_at = " + NOW
              + " WHERE id = ?", Fields.text(body, "status", 20, true), result == null ? null : result.encode(),
          Fields.optionalString(body, "error", 4000), Fields.optionalString(body, "error_code", 64), runId);
      JsonObject run = runRow(w, runId);
      w.update("UPDATE conversations SET last_activity = " + NOW + " WHERE id = ?", run.getString("conversation_id"));
      return run;
    });
  }

  /** {conversation_id, ids: [run ids]} → {runs: {id: run}} for the given ids. */
  private JsonObject listRuns(JsonObject body) throws SQLException {
    String id = conversationId(body);
    JsonObject runs = new JsonObject();
    for (Object runId : body.getJsonArray("ids", new JsonArray())) {
      PreparedStatement select = writer.prepare("SELECT * FROM session_runs WHERE id = ? AND conversation_id = ?");
      SqliteWriter.bind(select, runId, id);
      try (ResultSet rows = select.executeQuery()) {
        if (rows.next()) {
          runs.put(String.valueOf(runId), run(rows));
        }
      }
    }
    return new JsonObject().put("runs", runs);
  }

  /**
   * {error} → {runs: [{id, conversation_id, pid}]}: at start, every run still queued or running belonged to a process
   * that is gone; each ends {@code error} with the reason, and the caller stops what it left behind.
   */
  private JsonObject abandonRuns(String error) throws SQLException {
    return writer.inTransaction(w -> {
      PreparedStatement abandon = w.prepare("UPDATE session_runs SET status = 'error', error = ?, error_code = 'unavailable', "
          + "finished_at = " + NOW + " WHERE status IN ('queued', 'running') RETURNING id, conversation_id, pid");
      SqliteWriter.bind(abandon, error);
      JsonArray runs = new JsonArray();
      try (ResultSet rows = abandon.executeQuery()) {
        while (rows.next()) {
          JsonObject run = new JsonObject().put("id", rows.getLong(1)).put("conversation_id", rows.getString(2));
          long pid = rows.getLong(3);
          if (!rows.wasNull()) {
            run.put("pid", pid);
          }
          runs.add(run);
        }
      }
      return new JsonObject().put("runs", runs);
    });
  }

  private static JsonObject runRow(SqliteWriter w, long runId) throws SQLException {
    PreparedStatement select = w.prepare("SELECT * FROM session_runs WHERE id = ?");
    SqliteWriter.bind(select, runId);
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        throw ErrorCode.NOT_FOUND.exception("run " + runId + " does not exist", "run_id");
      }
      return run(rows);
    }
  }

  private static JsonObject run(ResultSet rows) throws SQLException {
    JsonObject run = new JsonObject().put("run_id", rows.getLong("id")).put("conversation_id", rows.getString("conversation_id"))
        .put("status", rows.getString("status")).put("started_at", rows.getString("started_at"))
        .put("finished_at", rows.getString("finished_at"));
    long pid = rows.getLong("pid");
    if (!rows.wasNull()) {
      run.put("pid", pid);
    }
    String result = rows.getString("result");
    if (result != null) {
      run.put("result", new JsonObject(result));
    }
    if (rows.getString("error") != null) {
      run.put("error", rows.getString("error")).put("error_code", rows.getString("error_code"));
    }
    return run;
  }

  private static JsonObject worker(ResultSet rows) throws SQLException {
    return new JsonObject().put("id", rows.getString("id")).put("worker_name", rows.getString("id"))
        .put("type", rows.getString("type")).put("env_vars", new JsonObject(rows.getString("env_vars")))
        .put("command_params", new JsonArray(rows.getString("command_params")))
        .put("created_at", rows.getString("created_at"));
  }

  private static JsonObject conversation(ResultSet rows) throws SQLException {
    return new JsonObject().put("id", rows.getString("id")).put("worker_id", rows.getString("worker_id"))
        .put("worker_name", rows.getString("worker_id")).put("project_path", rows.getString("project_path"))
        .put("name", rows.getString("name")).put("created_at", rows.getString("created_at"))
        .put("last_activity", rows.getString("last_activity")).put("is_current", rows.getInt("is_current") == 1)
        .put("raw_conversation_id", rows.getString("raw_conversation_id"))
        .put("metadata", new JsonObject(rows.getString("metadata")));
  }

  private static String name(JsonObject body) {
    return Fields.text(body, "worker_name", 64, true);
  }

  private static String conversationId(JsonObject body) {
    return Fields.text(body, body.containsKey("conversation_id") ? "conversation_id" : "id", 64, true);
  }
}
