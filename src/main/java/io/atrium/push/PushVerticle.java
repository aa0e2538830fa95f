package io.atrium.push;

import io.atrium.bus.Addresses;
import io.atrium.bus.ProgressEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Translates internal events into the shapes clients speak on the browser-facing addresses: progress into seed
 * 000's notification {@code {resource_id, event, status, percentage}} on {@link Addresses#UI_NOTIFICATIONS}, chat
 * stream events into {@code {event: "chat", request_id, session_id?, status, …}} on {@link Addresses#UI_CHAT}, agent
 * suggestion changes into the same notification shape with {@code event} "decompose" or "tag", media file status
 * changes as {@code {event: "media", media_file_id, status, relative_path, reason?, target_path?, …}}, and a search
 * index's rebuild as {@code {event: "search_index", engine, status, done, total, percentage}}, a coding-agent run's
 * output as {@code {event: "session", conversation_id, run_id, seq, kind, …}}.
 */
public final class PushVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return Future.all(java.util.List.of(
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_PROGRESS, message -> vertx.eventBus()
            .publish(Addresses.UI_NOTIFICATIONS, notification(ProgressEvent.fromJson(message.body())))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_CHAT, message -> vertx.eventBus()
            .publish(Addresses.UI_CHAT, chatFrame(message.body()))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_AGENT, message -> vertx.eventBus()
            .publish(Addresses.UI_NOTIFICATIONS, suggestionNotification(message.body()))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_SEARCH_INDEX, message -> vertx.eventBus()
            .publish(Addresses.UI_NOTIFICATIONS, searchIndexNotification(message.body()))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_MEDIA, message -> vertx.eventBus()
            .publish(Addresses.UI_NOTIFICATIONS, message.body().copy().put("event", "media")
                .put("media_file_id", message.body().getValue("id")))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_SESSION, message -> vertx.eventBus()
            .publish(Addresses.UI_NOTIFICATIONS, message.body().copy().put("event", "session"))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_TASK, message -> vertx.eventBus()
            .publish(Addresses.UI_NOTIFICATIONS, message.body().copy().put("event", "task"))).completion()));
  }

  static JsonObject notification(ProgressEvent event) {
    JsonObject json = new JsonObject()
        .put("resource_id", event.resourceId())
        .put("event", "report")
        .put("status", event.stage().word())
        .put("percentage", event.percentage());
    if (event.error() != null) {
      json.put("error", event.error());
    }
    return event.putCounts(json);
  }

  /**
   * Seed 000's notification for an AI suggestion: {@code event} "decompose" or "tag", status "todo" while the model
   * works ("AI is analysing…"), then "done" (percentage 100) or "error"; with the task or resource and suggestion ids.
   */
  static JsonObject suggestionNotification(JsonObject event) {
    String status = event.getString("status");
    JsonObject json = new JsonObject()
        .put("resource_id", event.getValue("resource_id"))
        .put("task_id", event.getValue("task_id"))
        .put("suggestion_id", event.getValue("suggestion_id"))
        .put("event", event.getString("event"))
        .put("status", status)
        .put("percentage", "done".equals(status) ? 100 : 0);
    if (event.getString("error") != null) {
      json.put("error", event.getString("error"));
    }
    return json;
  }

  /** {event: "search_index", engine, status, done, total, percentage}: a rebuild's progress, then "ready". */
  static JsonObject searchIndexNotification(JsonObject event) {
    long done = event.getLong("done", 0L);
    long total = event.getLong("total", 0L);
    String status = event.getString("status");
    int percentage = "ready".equals(status) ? 100 : total > 0 ? (int) Math.min(99, done * 100 / total) : 0;
    return event.copy().put("event", "search_index").put("percentage", percentage);
  }

  /** status "streaming" with {delta, index}, "done" with {usage, citations}, or "error" with {error}. */
  static JsonObject chatFrame(JsonObject event) {
    JsonObject frame = new JsonObject().put("event", "chat").put("request_id", event.getString("request_id"));
    if (event.getValue("session_id") != null) {
      frame.put("session_id", event.getValue("session_id"));
    }
    if (event.containsKey("delta")) {
      return frame.put("status", "streaming").put("delta", event.getString("delta")).put("index", event.getInteger("index"));
    }
    if (event.containsKey("error")) {
      return frame.put("status", "error").put("error", event.getJsonObject("error"));
    }
    return frame.put("status", "done").put("usage", event.getJsonObject("usage")).put("citations", event.getJsonArray("citations"));
  }
}
