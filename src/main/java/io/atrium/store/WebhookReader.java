package io.atrium.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;

/** The delivery log as clients read it, and the pending deliveries a restart takes up again; on the read pool. */
final class WebhookReader {
  private static final String DELIVERIES = "SELECT d.id, d.task_id, d.webhook_id, d.event, d.url, d.payload, d.status, "
      + "d.created_ms, d.next_attempt_ms, d.created_at, d.delivered_at, a.attempt, a.at, a.http_status, a.latency_ms, "
      + "a.error FROM atrium_webhook_deliveries d LEFT JOIN atrium_webhook_attempts a ON a.delivery_id = d.id ";

  private final Pool readers;

  WebhookReader(Pool readers) {
    this.readers = readers;
  }

  /** {task_id} → {deliveries: [{id, webhook_id, event, url, status, created_at, delivered_at, attempts: [...]}]}. */
  Future<JsonObject> ofTask(long taskId) {
    return readers.preparedQuery(DELIVERIES + "WHERE d.task_id = ? ORDER BY d.id, a.attempt").execute(Tuple.of(taskId))
        .map(rows -> new JsonObject().put("task_id", taskId).put("deliveries", deliveries(rows, false)));
  }

  /** Every pending delivery with its payload and attempts so far. */
  Future<JsonObject> pending() {
    return readers.query(DELIVERIES + "WHERE d.status = 'pending' ORDER BY d.id, a.attempt").execute()
        .map(rows -> new JsonObject().put("deliveries", deliveries(rows, true)));
  }

  private static JsonArray deliveries(Iterable<Row> rows, boolean withPayload) {
    Map<Long, JsonObject> byId = new LinkedHashMap<>();
    for (Row row : rows) {
      JsonObject delivery = byId.computeIfAbsent(row.getLong("id"), id -> {
        JsonObject json = new JsonObject()
            .put("id", id)
            .put("task_id", row.getLong("task_id"))
            .put("webhook_id", row.getString("webhook_id"))
            .put("event", row.getString("event"))
            .put("url", row.getString("url"))
            .put("status", row.getString("status"))
            .put("created_at", row.getString("created_at"))
            .put("delivered_at", row.getString("delivered_at"))
            .put("attempts", new JsonArray());
        if (withPayload) {
          json.put("payload", row.getString("payload")).put("created_ms", row.getLong("created_ms"))
              .put("next_attempt_ms", row.getLong("next_attempt_ms"));
        }
        return json;
      });
      if (row.getValue("attempt") != null) {
        JsonObject attempt = new JsonObject()
            .put("attempt", row.getInteger("attempt"))
            .put("at", row.getString("at"))
            .put("http_status", row.getInteger("http_status"))
            .put("latency_ms", row.getLong("latency_ms"));
        if (row.getString("error") != null) {
          attempt.put("error", row.getString("error"));
        }
        delivery.getJsonArray("attempts").add(attempt);
      }
    }
    return new JsonArray(new java.util.ArrayList<>(byId.values()));
  }
}
