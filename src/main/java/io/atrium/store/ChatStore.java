package io.atrium.store;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ChatExchange;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.atrium.sqlite.SqliteWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL of chat: sessions, their messages and retrieval_logs, as plain synchronous JDBC on the store verticle's
 * worker thread (the connection is in autocommit mode; writes take the lock with {@code BEGIN IMMEDIATE} and roll
 * back on any failure). {@link #register} adds the {@code atrium.store.chat.*} consumers to the store verticle.
 */
public final class ChatStore {
  private static final Logger LOG = LoggerFactory.getLogger(ChatStore.class);
  private static final String NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
  private static final String INSERT_LOG = "INSERT INTO retrieval_logs (request_id, session_id, question, "
      + "retrieved_chunk_ids, provider, model, streamed, latency_ms, first_token_ms, prompt_tokens, completion_tokens, "
      + "outcome, error_code, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

  private final SqliteWriter writer;

  ChatStore(SqliteWriter writer) {
    this.writer = writer;
  }

  /** Registers the chat consumers; call from the store verticle's start so they run on its worker thread. */
  static Future<Void> register(Vertx vertx, SqliteWriter writer) {
    ChatStore store = new ChatStore(writer);
    return Future.all(
        consume(vertx, Addresses.STORE_CHAT_SESSION_CREATE, store::createSession),
        consume(vertx, Addresses.STORE_CHAT_SESSION_GET, store::session),
        consume(vertx, Addresses.STORE_CHAT_MESSAGES_APPEND, store::append),
        consume(vertx, Addresses.STORE_CHAT_LOG, store::log)).mapEmpty();
  }

  /** {title, task_id?, resource_id?} → the new session; 404 naming a task or resource that does not exist. */
  JsonObject createSession(JsonObject body) throws SQLException {
    return writer.inTransaction(w -> {
      Connection c = w.connection();
      String title = Fields.text(body, "title", 500, true);
      Long taskId = Fields.optionalPositiveLong(body, "task_id");
      Long resourceId = Fields.optionalPositiveLong(body, "resource_id");
      if (taskId != null && !exists(c, "SELECT 1 FROM tasks WHERE id = ?", taskId)) {
        throw ErrorCode.NOT_FOUND.exception("task " + taskId + " does not exist", "task_id");
      }
      if (resourceId != null && !exists(c, "SELECT 1 FROM resources WHERE id = ?", resourceId)) {
        throw ErrorCode.NOT_FOUND.exception("resource " + resourceId + " does not exist", "resource_id");
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO chat_sessions (title, task_id, resource_id) "
          + "VALUES (?, ?, ?) RETURNING id, created_at")) {
        insert.setString(1, title);
        setLong(insert, 2, taskId);
        setLong(insert, 3, resourceId);
        try (ResultSet row = insert.executeQuery()) {
          row.next();
          JsonObject session = new JsonObject().put("session_id", row.getLong(1)).put("title", title)
              .put("created_at", row.getString(2));
          putIfPresent(session, "task_id", taskId);
          putIfPresent(session, "resource_id", resourceId);
          return session;
        }
      }
    });
  }

  /** {session_id} → the session and its messages in order; 404 if there is none. */
  JsonObject session(JsonObject body) throws SQLException {
    long id = Fields.positiveLong(body, "session_id");
    Connection c = writer.connection();
    JsonObject session;
    try (PreparedStatement select = c.prepareStatement(
        "SELECT title, task_id, resource_id, created_at, updated_at FROM chat_sessions WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw ErrorCode.NOT_FOUND.exception("chat session " + id + " does not exist", "session_id");
        }
        session = new JsonObject().put("session_id", id).put("title", row.getString(1));
        putIfPresent(session, "task_id", nullableLong(row, 2));
        putIfPresent(session, "resource_id", nullableLong(row, 3));
        session.put("created_at", row.getString(4)).put("updated_at", row.getString(5));
      }
    }
    JsonArray messages = new JsonArray();
    try (PreparedStatement select = c.prepareStatement("SELECT id, role, content, provider, model, prompt_tokens, "
        + "completion_tokens, citations, created_at FROM chat_messages WHERE session_id = ? ORDER BY id")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          messages.add(message(row));
        }
      }
    }
    return session.put("messages", messages);
  }

  /** {session_id, messages: [{role, content, provider?, model?, usage?, citations?}]} appended in one transaction. */
  JsonObject append(JsonObject body) throws SQLException {
    ChatExchange exchange = ChatExchange.fromJson(body);
    long sessionId = exchange.sessionId();
    return writer.inTransaction(w -> {
      Connection c = w.connection();
      if (!exists(c, "SELECT 1 FROM chat_sessions WHERE id = ?", sessionId)) {
        throw ErrorCode.NOT_FOUND.exception("chat session " + sessionId + " does not exist", "session_id");
      }
      JsonArray ids = new JsonArray();
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO chat_messages (session_id, role, content, "
          + "provider, model, prompt_tokens, completion_tokens, citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
        for (ChatExchange.Message message : exchange.messages()) {
          insert.setLong(1, sessionId);
          insert.setString(2, message.role());
          insert.setString(3, message.content());
          insert.setString(4, message.provider());
          insert.setString(5, message.model());
          setLong(insert, 6, message.promptTokens());
          setLong(insert, 7, message.completionTokens());
          insert.setString(8, message.citations() == null ? null : message.citations().encode());
          try (ResultSet row = insert.executeQuery()) {
            row.next();
            ids.add(row.getLong(1));
          }
        }
      }
      try (PreparedStatement touch = c.prepareStatement("UPDATE chat_sessions SET updated_at = " + NOW + " WHERE id = ?")) {
        touch.setLong(1, sessionId);
        touch.executeUpdate();
      }
      return new JsonObject().put("session_id", sessionId).put("message_ids", ids);
    });
  }

  /**
   * {entries: [retrieval_logs row, …]} → {ids}, in one transaction (the chat verticle batches the rows of requests
   * that ended while the previous batch was written; it never puts a key in them). If that transaction fails, each
   * row is tried in its own, so one unwritable row costs only itself (its id is null, and it is logged here).
   */
  JsonObject log(JsonObject body) throws SQLException {
    JsonArray entries = body.getJsonArray("entries", new JsonArray());
    try {
      return new JsonObject().put("ids", writer.inTransaction(w -> insertLogs(w, entries)));
    } catch (SQLException | RuntimeException batchFailed) {
      if (entries.size() < 2) {
        throw batchFailed;
      }
      JsonArray ids = new JsonArray();
      for (int i = 0; i < entries.size(); i++) {
        JsonArray one = new JsonArray().add(entries.getValue(i));
        try {
          ids.addAll(writer.inTransaction(w -> insertLogs(w, one)));
        } catch (SQLException | RuntimeException e) {
          LOG.warn("retrieval log of chat request {} not written: {}", one.getJsonObject(0).getString("request_id"),
              e.getMessage());
          ids.addNull();
        }
      }
      return new JsonObject().put("ids", ids);
    }
  }

  private static JsonArray insertLogs(SqliteWriter writer, JsonArray entries) throws SQLException {
    JsonArray ids = new JsonArray();
    PreparedStatement insert = writer.prepare(INSERT_LOG); // prepared once, kept by the writer
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      insert.setString(1, entry.getString("request_id"));
      setLong(insert, 2, entry.getLong("session_id"));
      insert.setString(3, entry.getString("question", ""));
      insert.setString(4, entry.getJsonArray("retrieved_chunk_ids", new JsonArray()).encode());
      insert.setString(5, entry.getString("provider"));
      insert.setString(6, entry.getString("model"));
      insert.setInt(7, entry.getBoolean("streamed", false) ? 1 : 0);
      insert.setLong(8, entry.getLong("latency_ms", 0L));
      setLong(insert, 9, entry.getLong("first_token_ms"));
      setLong(insert, 10, entry.getLong("prompt_tokens"));
      setLong(insert, 11, entry.getLong("completion_tokens"));
      insert.setString(12, entry.getString("outcome"));
      insert.setString(13, entry.getString("error_code"));
      insert.setString(14, entry.getString("error"));
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        ids.add(row.getLong(1));
      }
    }
    return ids;
  }

  private static JsonObject message(ResultSet row) throws SQLException {
    JsonObject message = new JsonObject().put("id", row.getLong(1)).put("role", row.getString(2))
        .put("content", row.getString(3));
    if (row.getString(4) != null) {
      message.put("provider", row.getString(4)).put("model", row.getString(5));
    }
    Long prompt = nullableLong(row, 6);
    if (prompt != null) {
      message.put("usage", new JsonObject().put("prompt_tokens", prompt)
          .put("completion_tokens", nullableLong(row, 7)));
    }
    String citations = row.getString(8);
    if (citations != null) {
      try {
        message.put("citations", new JsonArray(citations));
      } catch (DecodeException e) {
        LOG.warn("chat message {} has unreadable citations", row.getLong(1));
      }
    }
    return message.put("created_at", row.getString(9));
  }

  private static Future<Void> consume(Vertx vertx, String address, Bus.SyncOperation operation) {
    return Bus.serveSync(vertx, address, operation);
  }

  private static boolean exists(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setLong(index, value);
    }
  }

  private static Long nullableLong(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  private static void putIfPresent(JsonObject json, String field, Long value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
