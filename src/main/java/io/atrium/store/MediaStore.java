package io.atrium.store;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.MediaFile;
import io.atrium.sqlite.SqliteWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The media files of seed 003 on the writer's thread. A file is identified by (device, inode); the claim of the next
 * PENDING file is one {@code UPDATE … RETURNING}, so two processors can never take the same file, and a claim older
 * than its timeout (its processor died) goes back to PENDING.
 */
final class MediaStore {
  static final List<String> STATUSES = List.of("PENDING", "PROCESSING", "COMPLETED", "FAILED", "CONFLICT");
  private static final List<String> RESULT_FIELDS = List.of("media_type", "title", "year", "season", "episode",
      "recognized_by", "tmdb_id", "tmdb_title", "tmdb_year", "target_path");

  private final SqliteWriter writer;

  MediaStore(SqliteWriter writer) {
    this.writer = writer;
  }

  /**
   * {files: [{device, inode, path, relative_path, size}]} → {added: [ids], moved}: new (device, inode) pairs become
   * PENDING rows; a known one seen under another path (renamed, or another hard link) only has its path updated.
   */
  JsonObject upsert(JsonArray files) throws SQLException {
    return writer.inTransaction(w -> {
      JsonArray added = new JsonArray();
      int moved = 0;
      for (Object item : files) {
        JsonObject file = (JsonObject) item;
        PreparedStatement insert = w.prepare("INSERT INTO media_files (device, inode, path, relative_path, size) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (device, inode) DO NOTHING RETURNING id");
        SqliteWriter.bind(insert, file.getLong("device"), file.getLong("inode"), file.getString("path"),
            file.getString("relative_path"), file.getLong("size"));
        try (ResultSet rows = insert.executeQuery()) {
          if (rows.next()) {
            added.add(rows.getLong(1));
            continue;
          }
        }
        moved += w.update("UPDATE media_files SET path = ?, relative_path = ?, updated_at = " + ResourceStore.NOW
                + " WHERE device = ? AND inode = ? AND path != ?", file.getString("path"), file.getString("relative_path"),
            file.getLong("device"), file.getLong("inode"), file.getString("path"));
      }
      return new JsonObject().put("added", added).put("moved", moved);
    });
  }

  /**
   * {claim_timeout_s} → {file} (now PROCESSING), or when nothing is due {next_due_ms?} (until the earliest postponed
   * PENDING file). Stale claims are released first.
   */
  JsonObject claim(long claimTimeoutSeconds) throws SQLException {
    return writer.inTransaction(w -> {
      w.update("UPDATE media_files SET status = 'PENDING', claimed_at = NULL WHERE status = 'PROCESSING' AND claimed_at < "
          + "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)", "-" + claimTimeoutSeconds + " seconds");
      PreparedStatement claim = w.prepare("UPDATE media_files SET status = 'PROCESSING', claimed_at = " + ResourceStore.NOW
          + ", attempts = attempts + 1, updated_at = " + ResourceStore.NOW + " WHERE id = (SELECT id FROM media_files "
          + "WHERE status = 'PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= " + ResourceStore.NOW + ") "
          + "ORDER BY id LIMIT 1) RETURNING *");
      try (ResultSet rows = claim.executeQuery()) {
        if (rows.next()) {
          return new JsonObject().put("file", row(rows));
        }
      }
      // nothing due: say when the next postponed file will be, so the processor sleeps just that long
      PreparedStatement next = w.prepare("SELECT CAST((julianday(MIN(next_attempt_at)) - julianday('now')) * 86400000 AS INTEGER) "
          + "FROM media_files WHERE status = 'PENDING'");
      try (ResultSet rows = next.executeQuery()) {
        JsonObject none = new JsonObject();
        if (rows.next() && rows.getObject(1) != null) {
          none.put("next_due_ms", Math.max(0, rows.getLong(1)));
        }
        return none;
      }
    });
  }

  /**
   * Claims one given file for a manual match or retry: {id, from: [statuses]} → {file}; 404 unknown id, 409 when it
   * is in none of those statuses (e.g. being processed).
   */
  JsonObject claimOne(long id, JsonArray from) throws SQLException {
    return writer.inTransaction(w -> {
      String marks = String.join(",", from.stream().map(s -> "?").toList());
      Object[] params = new Object[from.size() + 1];
      for (int i = 0; i < from.size(); i++) {
        params[i] = from.getString(i);
      }
      params[from.size()] = id;
      PreparedStatement claim = w.prepare("UPDATE media_files SET status = 'PROCESSING', claimed_at = " + ResourceStore.NOW
          + ", updated_at = " + ResourceStore.NOW + " WHERE status IN (" + marks + ") AND id = ? RETURNING *");
      SqliteWriter.bind(claim, params);
      try (ResultSet rows = claim.executeQuery()) {
        if (rows.next()) {
          return new JsonObject().put("file", row(rows));
        }
      }
      PreparedStatement exists = w.prepare("SELECT status FROM media_files WHERE id = ?");
      SqliteWriter.bind(exists, id);
      try (ResultSet rows = exists.executeQuery()) {
        if (!rows.next()) {
          throw ErrorCode.NOT_FOUND.exception("media file " + id + " does not exist", "id");
        }
        throw ErrorCode.CONFLICT.exception("media file " + id + " is " + rows.getString(1) + ", not one of " + from.encode(), "id");
      }
    });
  }

  /**
   * {id, status, reason?, retry_in_s?, media_type?, title?, …, target_path?}: records the outcome of processing.
   * PENDING with retry_in_s leaves the file for a later try (a dependency was down).
   */
  JsonObject finish(JsonObject body) throws SQLException {
    long id = StoreVerticle.id(body, "id");
    String status = body.getString("status");
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be one of " + STATUSES);
    }
    StringBuilder sql = new StringBuilder("UPDATE media_files SET status = ?, reason = ?, claimed_at = NULL, "
        + "next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?), updated_at = " + ResourceStore.NOW);
    List<Object> params = new ArrayList<>(List.of(status));
    params.add(body.getString("reason"));
    params.add("+" + body.getLong("retry_in_s", 0L) + " seconds");
    for (String field : RESULT_FIELDS) {
      if (body.containsKey(field)) {
        sql.append(", ").append(field).append(" = ?");
        params.add(body.getValue(field));
      }
    }
    sql.append(" WHERE id = ?");
    params.add(id);
    if (writer.update(sql.toString(), params.toArray()) == 0) {
      throw ErrorCode.NOT_FOUND.exception("media file " + id + " does not exist", "id");
    }
    return new JsonObject().put("id", id).put("status", status);
  }

  /** The claimed row in the shape every reader of a media file gets ({@link MediaFile}). */
  static JsonObject row(ResultSet rows) throws SQLException {
    JsonObject columns = new JsonObject();
    for (String column : MediaFile.COLUMNS) {
      columns.put(column, rows.getObject(column));
    }
    return MediaFile.fromJson(columns).toJson();
  }
}
