package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.atrium.fakes.FakeLlmServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silent and slow clients lose their connection after the (here shortened) timeouts, however they dribble their bytes;
 * clients that are slow for a good reason, or wait on atrium, keep it.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
  static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
  static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
  /** Longer than every timeout above. */
  static final Duration QUIET = Duration.ofSeconds(5);
  /** The sweep runs at a quarter of the shortest timeout; more for a busy machine. */
  static final Duration SLACK = Duration.ofSeconds(3);

  FakeLlmServer fake;
  AtriumHarness atrium;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dataDir) {
    fake = new FakeLlmServer(vertx);
    fake.start();
    atrium = new AtriumHarness(vertx, dataDir).start(Map.of(
        "ATRIUM_HTTP_HEADER_TIMEOUT_S", String.valueOf(HEADER_TIMEOUT.toSeconds()),
        "ATRIUM_HTTP_IDLE_TIMEOUT_S", String.valueOf(IDLE_TIMEOUT.toSeconds()),
        "ATRIUM_HTTP_BODY_TIMEOUT_S", String.valueOf(BODY_TIMEOUT.toSeconds()),
        "ATRIUM_HTTP_BODY_MIN_RATE_BYTES_S", "256",
        "ATRIUM_CHAT_OPENAI_BASE_URL", fake.url("/openai/v1"),
        "ATRIUM_CHAT_TIMEOUT_MS", "20000"));
  }

  @AfterAll
  void stop() {
    fake.stop();
  }

  @BeforeEach
  void resetFake() {
    fake.thinkMs = 0;
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheHeaderDeadline(Vertx vertx) {
    try (RawConnection silent = RawConnection.open(vertx, atrium.port)) {
      assertClosedAfter(HEADER_TIMEOUT, silent.awaitClosedSinceOpened(HEADER_TIMEOUT.plus(SLACK)));
    }
  }

  @Test
  void aHeadSentAByteAtATimeIsClosedAtTheSameDeadline(Vertx vertx) {
    Buffer endlessHead = Buffer.buffer("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(4000));
    try (RawConnection slowloris = RawConnection.open(vertx, atrium.port)) {
      slowloris.trickle(endlessHead, 1, Duration.ofMillis(100)); // bytes keep coming: no read timeout would fire

      assertClosedAfter(HEADER_TIMEOUT, slowloris.awaitClosedSinceOpened(HEADER_TIMEOUT.plus(SLACK)));
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedAfterTheIdleTimeoutAndServesUntilThen(Vertx vertx) {
    try (RawConnection client = RawConnection.open(vertx, atrium.port)) {
      client.send(get("/health"));
      client.awaitReceived("\"status\"", Duration.ofSeconds(10));
      long answered = System.nanoTime();

      assertClosedAfter(IDLE_TIMEOUT, Duration.ofNanos(client.awaitClosed(IDLE_TIMEOUT.plus(SLACK)) - answered));
    }
  }

  @Test
  void aBodyThatStopsIsClosedAfterTheBodyTimeout(Vertx vertx) {
    int internalErrors = LogCapture.linesContaining("on POST /ingest/notify").size();
    try (RawConnection client = RawConnection.open(vertx, atrium.port)) {
      client.send(post("/ingest/notify", "application/json", 1000)).send("{\"source_type\": \"res");
      long stopped = System.nanoTime();

      assertClosedAfter(BODY_TIMEOUT, Duration.ofNanos(client.awaitClosed(BODY_TIMEOUT.plus(SLACK)) - stopped));
      assertThat(client.received()).as("no answer to half a body").isEmpty();
      assertThat(LogCapture.linesContaining("on POST /ingest/notify")).as("closing a client is no internal error")
          .hasSize(internalErrors);
    }
  }

  @Test
  void aBodyThatTricklesSlowerThanTheMinimumRateIsClosed(Vertx vertx) {
    try (RawConnection client = RawConnection.open(vertx, atrium.port)) {
      client.send(post("/ingest/notify", "application/json", 100_000));
      long started = System.nanoTime();
      client.trickle(Buffer.buffer("{\"pad\": \"" + "a".repeat(99_000)), 10, Duration.ofMillis(100)); // 100 B/s

      assertClosedAfter(BODY_TIMEOUT, Duration.ofNanos(client.awaitClosed(BODY_TIMEOUT.plus(SLACK)) - started));
    }
  }

  @Test
  void anUploadSlowerThanTheTimeoutsButSteadyGoesThrough(Vertx vertx) {
    Buffer body = UploadLimitsTest.part("files", "slow.txt", "rivers ".repeat(3000))
        .appendString("--" + UploadLimitsTest.BOUNDARY + "--\r\n");
    try (RawConnection client = RawConnection.open(vertx, atrium.port)) {
      client.send(UploadLimitsTest.uploadHead(body.length()));
      client.trickle(body, 1000, Duration.ofMillis(250)); // 4 KB/s: over 5 s in all, more than two body windows

      assertThat(client.awaitReceived("\"resources\"", Duration.ofSeconds(30))).startsWith("HTTP/1.1 202");
    }
  }

  @Test
  void aQuietWebSocketStaysOpen(Vertx vertx) {
    try (EventLog notifications = EventLog.onWebSocket(vertx, atrium.port, "/ws/notifications")) {
      vertx.timer(QUIET.toMillis(), TimeUnit.MILLISECONDS).await(); // no event for longer than every timeout

      JsonObject event = new JsonObject().put("resource_id", 424242).put("event", "report").put("status", "done");
      vertx.eventBus().publish(Addresses.UI_NOTIFICATIONS, event);
      notifications.await("the event after the quiet spell", Duration.ofSeconds(10),
          e -> e.getLong("resource_id", 0L) == 424242);
      assertThat(notifications.webSocket().isClosed()).isFalse();
    }
  }

  @Test
  void aWebSocketThatAnswersNoPingIsClosedAfterTheIdleTimeout(Vertx vertx) {
    try (RawConnection deaf = RawConnection.open(vertx, atrium.port)) {
      deaf.send("GET /ws/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + authorization() + "\r\n");
      deaf.awaitReceived("HTTP/1.1 101", Duration.ofSeconds(10));
      long upgraded = System.nanoTime();

      deaf.awaitBytes("a ping", IDLE_TIMEOUT, bytes -> contains(bytes, PING));
      deaf.awaitBytes("a close frame", IDLE_TIMEOUT.multipliedBy(2).plus(SLACK), bytes -> contains(bytes, CLOSE));
      assertThat(Duration.ofNanos(System.nanoTime() - upgraded)).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(300));
    }
  }

  @Test
  void aChatThatWaitsOnItsModelLongerThanTheTimeoutsIsAnswered() {
    fake.thinkMs = QUIET.toMillis();

    HttpResponse<Buffer> whole = atrium.post("/chat/completions", ChatProvidersTest.ask("openai", "gpt-4o"));
    assertThat(whole.statusCode()).as(whole.bodyAsString()).isEqualTo(200);

    SseEvents stream = SseEvents.post(atrium.vertx, atrium.port, "/chat/completions",
        ChatProvidersTest.ask("openai", "gpt-4o-mini").put("stream", true)); // quiet after its first event
    assertThat(stream.status()).as(stream.rawBody()).isEqualTo(200);
    assertThat(stream.text()).isEqualTo("The capital of the UK is London.");
    assertThat(stream.of("done")).hasSize(1);
  }

  /** The first byte of an unmasked WebSocket frame (FIN set) of opcode ping, or close. */
  static final byte PING = (byte) 0x89;
  static final byte CLOSE = (byte) 0x88;

  private static boolean contains(Buffer bytes, byte wanted) {
    for (int i = 0; i < bytes.length(); i++) {
      if (bytes.getByte(i) == wanted) {
        return true;
      }
    }
    return false;
  }

  private static void assertClosedAfter(Duration timeout, Duration closedAfter) {
    assertThat(closedAfter).as("closed after").isGreaterThanOrEqualTo(timeout.minusMillis(300))
        .isLessThanOrEqualTo(timeout.plus(SLACK));
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization() + "\r\n";
  }

  private static String post(String path, String contentType, int contentLength) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization() + "Content-Type: " + contentType
        + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }

  private static String authorization() {
    return AtriumHarness.TEST_TOKEN == null ? "" : "Authorization: Bearer " + AtriumHarness.TEST_TOKEN + "\r\n";
  }
}
