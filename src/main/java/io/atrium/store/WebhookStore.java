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
import java.util.Set;

/** The delivery log of task callbacks, written on the store verticle's thread: deliveries and each attempt. */
final class WebhookStore {
  static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");

  private final SqliteWriter writer;

  private WebhookStore(SqliteWriter writer) {
    this.writer = writer;
  }

  static Future<Void> register(Vertx vertx, SqliteWriter writer) {
    WebhookStore store = new WebhookStore(writer);
    return Future.all(
        Bus.serveSync(vertx, Addresses.STORE_WEBHOOK_CREATE, store::create),
        Bus.serveSync(vertx, Addresses.STORE_WEBHOOK_ATTEMPT, store::attempt)).mapEmpty();
  }

  /** {task_id, webhook_id, event, url, payload, created_ms} → {id}: a delivery, pending. */
  JsonObject create(JsonObject body) throws SQLException {
    long task = Fields.positiveLong(body, "task_id");
    String webhookId = Fields.text(body, "webhook_id", 100, true);
    String event = Fields.text(body, "event", 100, true);
    String url = Fields.httpUrl(body.getValue("url"), "url");
    String payload = Fields.exactText(body, "payload", Integer.MAX_VALUE);
    long created = Fields.positiveLong(body, "created_ms");
    if (url == null) {
      throw ErrorCode.INVALID_REQUEST.exception("url must be an http or https URL", "url");
    }
    PreparedStatement insert = writer.prepare("INSERT INTO atrium_webhook_deliveries (task_id, webhook_id, event, url, "
        + "payload, created_ms, next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    SqliteWriter.bind(insert, task, webhookId, event, url, payload, created, created);
    try (ResultSet rows = insert.executeQuery()) {
      rows.next();
      return new JsonObject().put("id", rows.getLong(1));
    }
  }

  /**
   * {id, attempt, http_status?, latency_ms, error?, status: pending|delivered|failed, next_attempt_ms?}: one attempt
   * and where the delivery stands after it, in one transaction.
   */
  JsonObject attempt(JsonObject body) throws SQLException {
    long id = Fields.positiveLong(body, "id");
    long attempt = Fields.positiveLong(body, "attempt");
    String status = body.getString("status");
    if (!STATUSES.contains(status)) {
      throw ErrorCode.INVALID_REQUEST.exception("status must be one of " + STATUSES, "status");
    }
    Object httpStatus = body.getValue("http_status");
    if (httpStatus != null && !(httpStatus instanceof Integer)) {
      throw ErrorCode.INVALID_REQUEST.exception("http_status must be an integer", "http_status");
    }
    return writer.inTransaction(w -> {
      w.update("INSERT OR REPLACE INTO atrium_webhook_attempts (delivery_id, attempt, http_status, latency_ms, error) "
          + "VALUES (?, ?, ?, ?, ?)", id, attempt, httpStatus, body.getLong("latency_ms"), body.getString("error"));
      int updated = w.update("UPDATE atrium_webhook_deliveries SET status = ?, next_attempt_ms = ?, delivered_at = "
          + "CASE WHEN ? = 'delivered' THEN " + ResourceStore.NOW + " ELSE delivered_at END WHERE id = ?",
          status, body.getLong("next_attempt_ms"), status, id);
      if (updated == 0) {
        throw ErrorCode.NOT_FOUND.exception("delivery " + id + " does not exist", "id");
      }
      return new JsonObject();
    });
  }
}
