package io.atrium.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One text/event-stream response; events that arrive before it is opened wait in order. */
final class SseStream {
  private final HttpServerResponse response;
  private final List<String> pending = new ArrayList<>();
  private boolean opened;
  private boolean ended;
  private long lastActivity = System.nanoTime();

  SseStream(HttpServerResponse response) {
    this.response = response;
  }

  void open() {
    if (response.closed()) {
      return;
    }
    response.setStatusCode(200)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("content-encoding", "identity") // compression would hold deltas back
        .putHeader("x-accel-buffering", "no")
        .setChunked(true);
    opened = true;
    response.write(String.join("", pending));
    pending.clear();
    if (ended) {
      response.end();
    }
  }

  /** Opens the response with {@code type} as its first event, before those already waiting. */
  void openWith(String type, JsonObject data) {
    pending.add(0, frame(type, data));
    open();
  }

  private static String frame(String type, JsonObject data) {
    return "event: " + type + "\ndata: " + data.encode() + "\n\n";
  }

  void event(String type, JsonObject data) {
    lastActivity = System.nanoTime();
    String frame = frame(type, data);
    if (opened && !response.closed()) {
      response.write(frame);
    } else {
      pending.add(frame);
    }
  }

  void end() {
    ended = true;
    if (opened && !response.closed()) {
      response.end();
    }
  }

  boolean opened() {
    return opened;
  }

  long lastActivity() {
    return lastActivity;
  }
}
