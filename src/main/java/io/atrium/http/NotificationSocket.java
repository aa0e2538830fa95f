package io.atrium.http;

import io.atrium.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /ws/notifications}: every client receives each notification from {@link Addresses#UI_NOTIFICATIONS}
 * as a JSON text frame, or only one resource's with {@code ?resource_id=}.
 */
final class NotificationSocket {
  private final Vertx vertx;
  private final Map<ServerWebSocket, Long> sockets = new ConcurrentHashMap<>();

  NotificationSocket(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.UI_NOTIFICATIONS, message -> broadcast(message.body())).completion();
  }

  void upgrade(RoutingContext ctx) {
    String filter = ctx.request().getParam("resource_id");
    long resourceId;
    try {
      resourceId = filter == null ? 0 : Long.parseLong(filter);
    } catch (NumberFormatException e) {
      throw new HttpErrors.BadRequest("resource_id must be an integer", "resource_id");
    }
    ctx.request().toWebSocket().onSuccess(socket -> {
      sockets.put(socket, resourceId);
      socket.closeHandler(v -> sockets.remove(socket));
      socket.exceptionHandler(e -> sockets.remove(socket));
    }).onFailure(ctx::fail);
  }

  private void broadcast(JsonObject notification) {
    String frame = notification.encode();
    long resourceId = notification.getLong("resource_id", 0L);
    sockets.forEach((socket, filter) -> {
      if (filter == 0 || filter == resourceId) {
        socket.writeTextMessage(frame);
      }
    });
  }
}
