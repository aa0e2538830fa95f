package io.atrium.store;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.sqlite.SqliteWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of knowledge bases, on the store verticle's thread. The knowledge verticle has checked each field's
 * meaning; this keeps what the database must: unique names, base 1 (the default) never deleted, a base deleted only
 * once its documents are gone.
 */
public final class KnowledgeStore {
  /** Holds what is uploaded without naming a base (made by migration 10). */
  public static final long DEFAULT_BASE = 1;
  /** The columns a save may set; a field present with null clears it (chunk settings back to the configured ones). */
  private static final List<String> SETTABLE = List.of("name", "description", "chunk_size", "chunk_overlap",
      "callback_url");

  private final SqliteWriter writer;

  private KnowledgeStore(SqliteWriter writer) {
    this.writer = writer;
  }

  static Future<Void> register(Vertx vertx, SqliteWriter writer) {
    KnowledgeStore store = new KnowledgeStore(writer);
    return Future.all(
        Bus.serveSync(vertx, Addresses.STORE_KB_SAVE, store::save),
        Bus.serveSync(vertx, Addresses.STORE_KB_DELETE, store::delete)).mapEmpty();
  }

  /** Without an id, a new base; with one, the given fields changed. → {id, chunk_changed}. */
  JsonObject save(JsonObject body) throws SQLException {
    Long id = Fields.optionalPositiveLong(body, "id");
    return writer.inTransaction(w -> {
      String name = body.getString("name");
      if (name != null && nameTaken(name, id)) {
        throw ErrorCode.CONFLICT.exception("a knowledge base named '" + name + "' exists", "name");
      }
      if (id == null) {
        long created = writer.insertReturningId("INSERT INTO knowledge_bases (name, description, chunk_size, chunk_overlap, "
                + "callback_url) VALUES (?, ?, ?, ?, ?) RETURNING id", Fields.text(body, "name", 100, true),
            body.getString("description"), body.getInteger("chunk_size"), body.getInteger("chunk_overlap"),
            body.getString("callback_url"));
        return new JsonObject().put("id", created).put("chunk_changed", false);
      }
      JsonObject before = chunkOf(id);
      List<String> sets = new ArrayList<>();
      List<Object> params = new ArrayList<>();
      for (String column : SETTABLE) {
        if (body.containsKey(column)) {
          sets.add(column + " = ?");
          params.add(body.getValue(column));
        }
      }
      if (!sets.isEmpty()) {
        params.add(id);
        w.update("UPDATE knowledge_bases SET " + String.join(", ", sets) + ", updated_at = " + ResourceStore.NOW
            + " WHERE id = ?", params.toArray());
      }
      return new JsonObject().put("id", id).put("chunk_changed", !before.equals(chunkOf(id)));
    });
  }

  /** Removes a base that holds no document any more; the default base stays. */
  JsonObject delete(JsonObject body) throws SQLException {
    long id = Fields.positiveLong(body, "id");
    if (id == DEFAULT_BASE) {
      throw ErrorCode.CONFLICT.exception("the default knowledge base cannot be deleted", "id");
    }
    return writer.inTransaction(w -> {
      chunkOf(id); // 404 when unknown
      PreparedStatement left = w.prepare("SELECT COUNT(*) FROM atrium_documents WHERE knowledge_base_id = ?");
      SqliteWriter.bind(left, id);
      try (ResultSet rows = left.executeQuery()) {
        if (rows.next() && rows.getLong(1) > 0) {
          throw ErrorCode.CONFLICT.exception("knowledge base " + id + " still holds " + rows.getLong(1)
              + " documents", "id");
        }
      }
      w.update("DELETE FROM knowledge_bases WHERE id = ?", id);
      return new JsonObject().put("id", id).put("deleted", true);
    });
  }

  private boolean nameTaken(String name, Long exceptId) throws SQLException {
    PreparedStatement find = writer.prepare("SELECT id FROM knowledge_bases WHERE name = ?");
    SqliteWriter.bind(find, name);
    try (ResultSet rows = find.executeQuery()) {
      return rows.next() && (exceptId == null || rows.getLong(1) != exceptId);
    }
  }

  /** The base's stored chunk settings (nulls kept); 404 when there is no such base. */
  private JsonObject chunkOf(long id) throws SQLException {
    PreparedStatement find = writer.prepare("SELECT chunk_size, chunk_overlap FROM knowledge_bases WHERE id = ?");
    SqliteWriter.bind(find, id);
    try (ResultSet rows = find.executeQuery()) {
      if (!rows.next()) {
        throw ErrorCode.NOT_FOUND.exception("knowledge base " + id + " does not exist", "id");
      }
      return new JsonObject().put("size", rows.getObject(1)).put("overlap", rows.getObject(2));
    }
  }

}
