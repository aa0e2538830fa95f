package io.atrium.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A test client for text/event-stream answers: the status, content type and the events in arrival order. */
public record SseEvents(int status, String contentType, String contentEncoding, String rawBody, List<Event> events) {

  /** One event: its name and its JSON data. */
  public record Event(String type, JsonObject data) {
  }

  public static SseEvents post(Vertx vertx, int port, String path, JsonObject body) {
    // gzip is asked for, and undone, so a compressed event stream (which would hold deltas back) would show
    HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setDecompressionSupported(true));
    try {
      return client.request(AtriumHarness.authorized(new RequestOptions().setMethod(HttpMethod.POST).setPort(port)
              .setHost("127.0.0.1").setURI(path).setIdleTimeout(20_000).putHeader("content-type", "application/json")
              .putHeader("accept-encoding", "gzip")))
          .compose(request -> request.send(body.toBuffer()))
          // the body is read on the event loop, in the same step as the headers, so no chunk can pass unseen
          .compose(response -> response.body().map(text -> new SseEvents(response.statusCode(),
              response.getHeader("content-type"), response.getHeader("content-encoding"), text.toString(),
              parse(text.toString()))))
          .await();
    } finally {
      client.close();
    }
  }

  static List<Event> parse(String text) {
    List<Event> events = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      String type = "message";
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      if (!data.isEmpty()) {
        events.add(new Event(type, new JsonObject(data.toString())));
      }
    }
    return events;
  }

  public List<JsonObject> of(String type) {
    return events.stream().filter(e -> e.type().equals(type)).map(Event::data).toList();
  }

  /** The deltas joined in index order. */
  public String text() {
    StringBuilder text = new StringBuilder();
    of("delta").forEach(d -> text.append(d.getString("delta")));
    return text.toString();
  }
}
