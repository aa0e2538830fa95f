package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The SockJS event-bus bridge lets a client follow atrium.ui.* and nothing else, and lets it leave quietly. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class EventBusBridgeTest {

  @Test
  void aBridgeClientFollowsNotificationsButCannotListenToInternalAddressesOrSend(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    // SockJS's raw WebSocket transport: one bridge frame per message (the raw transport writes binary frames)
    try (EventLog frames = EventLog.onWebSocket(vertx, atrium.port, "/eventbus/websocket")) {
      WebSocket socket = frames.webSocket();
      socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "atrium.ui.notifications").encode()).await();
      socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "atrium.events.progress").encode()).await();
      socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "atrium.store.resource.delete")
          .put("body", new JsonObject().put("id", 1)).encode()).await();
      frames.awaitState("both refusals", Duration.ofSeconds(30), () -> refusals(frames), refusals -> refusals.size() == 2);

      long id = atrium.upload(AtriumHarness.doc("md/testMARKDOWN.md")).bodyAsJsonObject()
          .getJsonArray("resources").getJsonObject(0).getLong("resource_id");
      frames.await("the done notification through the bridge", Duration.ofMinutes(2),
          f -> "rec".equals(f.getString("type")) && "done".equals(f.getJsonObject("body").getString("status")));

      List<JsonObject> received = frames.received().stream().filter(f -> "rec".equals(f.getString("type"))).toList();
      // only the notifications address; besides the file's reports and its upload task's, the search index may
      // announce it is ready (its background start can end after the client connected)
      assertThat(received).allSatisfy(f -> assertThat(f.getString("address")).isEqualTo("atrium.ui.notifications"));
      assertThat(received.stream().map(f -> f.getJsonObject("body")).filter(b -> "report".equals(b.getString("event"))))
          .isNotEmpty().allSatisfy(body -> assertThat(body.getLong("resource_id")).isEqualTo(id));
      assertThat(received.stream().map(f -> f.getJsonObject("body").getString("event")))
          .allSatisfy(event -> assertThat(event).isIn("report", "task", "search_index")).contains("task");
      assertThat(refusals(frames)).as("listening to an internal address and sending to the store are both refused")
          .containsExactly("access_denied", "access_denied");
      assertThat(atrium.get("/ingest/status/" + id).bodyAsJsonObject().getString("status")).isEqualTo("done");
    }
  }

  @Test
  void aClientThatLeavesWithoutClosingItsSocketIsNoErrorInTheLog(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    try (EventLog ticks = EventLog.ticks(vertx, Duration.ofMillis(200));
        HandlerCount notificationHandlers = new HandlerCount(vertx, Addresses.UI_NOTIFICATIONS)) {
      int withoutClient = ticks.awaitState("the handlers of atrium.ui.notifications", Duration.ofSeconds(10),
          notificationHandlers::read, count -> count > 0);
      Socket client = rawBridgeClient(atrium.port);
      ticks.awaitState("the bridge client's registration", Duration.ofSeconds(10),
          notificationHandlers::read, count -> count == withoutClient + 1);
      int warningsBefore = LogCapture.warnings().size();

      client.setSoLinger(true, 0); // a reset, as from a closed tab or a lost network: no close frame
      client.close();
      ticks.awaitState("the bridge to drop the client that left", Duration.ofSeconds(10),
          notificationHandlers::read, count -> count == withoutClient);

      List<String> warnings = LogCapture.warnings();
      assertThat(warnings.subList(warningsBefore, warnings.size())).as("warnings and errors since the client left")
          .noneMatch(line -> line.contains("sockjs") || line.contains("SockJS") || line.contains("internal error"));
    }
  }

  /**
   * How many handlers a message published on an address reaches, seen through an inbound interceptor (it runs once
   * per handler): each {@link #read} publishes a probe and answers what the probe of the previous read reached (-1
   * at first), so a probe has a tick's time to be delivered.
   */
  static final class HandlerCount implements AutoCloseable {
    private final Vertx vertx;
    private final String address;
    private final Map<Long, AtomicInteger> reached = new ConcurrentHashMap<>();
    private final Handler<DeliveryContext<Object>> interceptor;
    private long probe;

    HandlerCount(Vertx vertx, String address) {
      this.vertx = vertx;
      this.address = address;
      this.interceptor = delivery -> {
        if (address.equals(delivery.message().address()) && delivery.message().body() instanceof JsonObject body
            && body.getLong("handler_count_probe") != null) {
          reached.computeIfAbsent(body.getLong("handler_count_probe"), id -> new AtomicInteger()).incrementAndGet();
        }
        delivery.next();
      };
      vertx.eventBus().addInboundInterceptor(interceptor);
    }

    int read() {
      long previous = probe++;
      vertx.eventBus().publish(address, new JsonObject().put("event", "probe").put("handler_count_probe", probe));
      return previous == 0 ? -1 : reached.getOrDefault(previous, new AtomicInteger()).get();
    }

    @Override
    public void close() {
      vertx.eventBus().removeInboundInterceptor(interceptor);
    }
  }

  /** A SockJS raw-WebSocket client written by hand, so that it can leave the way a browser tab does: a reset. */
  private static Socket rawBridgeClient(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    OutputStream out = socket.getOutputStream();
    String token = AtriumHarness.TEST_TOKEN == null ? "" : "Authorization: Bearer " + AtriumHarness.TEST_TOKEN + "\r\n";
    out.write(("GET /eventbus/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + token + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    byte[] answer = new byte[1024];
    int read = socket.getInputStream().read(answer);
    assertThat(new String(answer, 0, Math.max(read, 0), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    // one masked text frame, as every client frame must be
    byte[] register = new JsonObject().put("type", "register").put("address", Addresses.UI_NOTIFICATIONS).encode()
        .getBytes(StandardCharsets.UTF_8);
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    byte[] frame = new byte[6 + register.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | register.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < register.length; i++) {
      frame[6 + i] = (byte) (register[i] ^ mask[i % 4]);
    }
    out.write(frame);
    out.flush();
    return socket;
  }

  private static List<String> refusals(EventLog frames) {
    return frames.received().stream().filter(f -> "err".equals(f.getString("type"))).map(f -> f.getString("body")).toList();
  }
}
