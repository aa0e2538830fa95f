package io.atrium.push;

import io.atrium.bus.Addresses;
import io.atrium.bus.ProgressEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Translates internal progress events into the notification shape clients speak (seed 000:
 * {@code {resource_id, event, status, percentage}}) on the browser-facing {@link Addresses#UI_NOTIFICATIONS}.
 */
public final class PushVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_PROGRESS,
        message -> vertx.eventBus().publish(Addresses.UI_NOTIFICATIONS, notification(ProgressEvent.fromJson(message.body()))))
        .completion();
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
    return json;
  }
}
