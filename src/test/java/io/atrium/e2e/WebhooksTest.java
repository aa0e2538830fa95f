package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task callbacks (issue 15): signed per the Standard Webhooks scheme (checked here with its own HMAC), retried with
 * backoff, each attempt logged; a receiver that hangs is cut off; a delivery pending at a restart is made after it; a
 * callback into a private network is refused unless allowed.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class WebhooksTest {
  private static final byte[] KEY = "a-test-signing-key-of-32-bytes!!".getBytes(StandardCharsets.UTF_8);
  private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
  private static final Duration WITHIN = Duration.ofMinutes(1);

  /** What the receiver got, in order: the headers it checks, the body, and whether the signature held. */
  record Received(long atMs, String id, String timestamp, JsonObject body, boolean signatureValid) {
  }

  HttpServer receiver;
  final List<Received> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.close().await();
    }
  }

  /** A receiver answering each request with the status {@code answer} gives for its number (1, 2, …); 0: never. */
  private int startReceiver(Vertx vertx, Function<Integer, Integer> answer) {
    AtomicInteger count = new AtomicInteger();
    receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(received(request, body));
      int status = answer.apply(count.incrementAndGet());
      if (status > 0) {
        request.response().setStatusCode(status).end(status >= 300 ? "not now" : "ok");
      }
    })).listen(0, "127.0.0.1").await();
    return receiver.actualPort();
  }

  private static Received received(HttpServerRequest request, Buffer body) {
    String id = request.getHeader("webhook-id");
    String timestamp = request.getHeader("webhook-timestamp");
    String signature = request.getHeader("webhook-signature");
    boolean valid;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
      String expected = "v1," + Base64.getEncoder().encodeToString(
          mac.doFinal((id + "." + timestamp + "." + body.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
      valid = expected.equals(signature);
    } catch (Exception e) {
      valid = false;
    }
    return new Received(System.currentTimeMillis(), id, timestamp, body.toJsonObject(), valid);
  }

  private static Map<String, String> settings(boolean allowPrivate) {
    return Map.of("ATRIUM_WEBHOOKS_SECRET", SECRET, "ATRIUM_WEBHOOKS_ALLOW_PRIVATE", Boolean.toString(allowPrivate),
        "ATRIUM_WEBHOOKS_RETRY_BASE_MS", "200", "ATRIUM_WEBHOOKS_TIMEOUT_MS", "500");
  }

  @Test
  void aFinishedTaskIsCalledBackSignedAndRetriedWithBackoffUntilAccepted(Vertx vertx, @TempDir Path dataDir,
      @TempDir Path files) throws IOException {
    int port = startReceiver(vertx, n -> n <= 2 ? 500 : 204);
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(settings(true));
    long task = upload(atrium, "http://127.0.0.1:" + port + "/hooks/atrium", null, write(files, "a.txt", "Ferries to Ushant."));

    awaitReceived(3);
    assertThat(received).allSatisfy(r -> assertThat(r.signatureValid()).as("signature of " + r.body()).isTrue());
    assertThat(received).extracting(Received::id).as("one message, tried three times").containsOnly(received.get(0).id());
    JsonObject body = received.get(2).body();
    assertThat(body.getString("type")).isEqualTo("task.ended");
    assertThat(body.getJsonObject("data").getLong("task_id")).isEqualTo(task);
    assertThat(body.getJsonObject("data").getString("status")).isEqualTo("succeeded");
    long firstGap = received.get(1).atMs() - received.get(0).atMs();
    long secondGap = received.get(2).atMs() - received.get(1).atMs();
    assertThat(firstGap).as("the first retry waits at least half its 200 ms backoff").isGreaterThanOrEqualTo(90);
    assertThat(secondGap).as("the second at least half of 400 ms").isGreaterThanOrEqualTo(190);

    JsonArray deliveries = awaitDelivered(atrium, task);
    JsonObject delivery = deliveries.getJsonObject(0);
    assertThat(delivery.getString("webhook_id")).isEqualTo(received.get(0).id());
    assertThat(delivery.getJsonArray("attempts")).extracting(a -> ((JsonObject) a).getInteger("http_status"))
        .containsExactly(500, 500, 204);
    assertThat(delivery.getJsonArray("attempts").getJsonObject(0).getString("error")).contains("500");
    assertThat(delivery.getJsonArray("attempts")).allSatisfy(a -> assertThat(((JsonObject) a).getLong("latency_ms")).isNotNull());
  }

  @Test
  void itemEventsAreSentWhenAskedForAndAHangingReceiverIsCutOff(Vertx vertx, @TempDir Path dataDir, @TempDir Path files)
      throws IOException {
    int port = startReceiver(vertx, n -> n == 1 ? 0 : 200); // the first request is never answered
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(settings(true));
    long task = upload(atrium, "http://127.0.0.1:" + port + "/hook", "item",
        write(files, "one.txt", "Tide tables for Brest."), write(files, "two.txt", "Tide tables for Roscoff."));
    awaitReceived(4); // two items and the end, one of them twice
    List<String> types = received.stream().map(r -> r.body().getString("type")).distinct().toList();
    assertThat(types).contains("task.item", "task.ended");
    JsonArray deliveries = awaitDelivered(atrium, task);
    assertThat(deliveries).hasSize(3);
    JsonObject cut = deliveries.stream().map(d -> (JsonObject) d).filter(d -> d.getJsonArray("attempts").size() > 1)
        .findFirst().orElseThrow();
    JsonObject hung = cut.getJsonArray("attempts").getJsonObject(0);
    assertThat(hung.getValue("http_status")).isNull();
    assertThat(hung.getString("error")).isNotBlank();
    assertThat(hung.getLong("latency_ms")).as("cut at webhooks.timeout_ms (500)").isBetween(400L, 5_000L);
  }

  @Test
  void aDeliveryPendingWhenAtriumStopsIsMadeAfterTheRestart(Vertx vertx, @TempDir Path dataDir, @TempDir Path files)
      throws IOException {
    AtomicInteger accepting = new AtomicInteger(503);
    int port = startReceiver(vertx, n -> accepting.get());
    AtriumHarness first = new AtriumHarness(vertx, dataDir).start(settings(true));
    long task = upload(first, "http://127.0.0.1:" + port + "/hook", null, write(files, "n.txt", "Harbour dues."));
    awaitReceived(1);
    first.stop();
    accepting.set(200);

    AtriumHarness second = new AtriumHarness(vertx, dataDir).start(settings(true));
    JsonObject delivery = awaitDelivered(second, task).getJsonObject(0);
    assertThat(delivery.getJsonArray("attempts").size()).isGreaterThanOrEqualTo(2);
    assertThat(delivery.getJsonArray("attempts").getJsonObject(0).getInteger("http_status")).isEqualTo(503);
  }

  @Test
  void aCallbackIntoAPrivateNetworkIsRefusedUnlessAllowed(Vertx vertx, @TempDir Path dataDir, @TempDir Path files)
      throws IOException {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(settings(false));
    for (String url : List.of("http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://localhost/hook",
        "http://[::1]/hook", "http://169.254.169.254/latest/meta-data")) {
      HttpResponse<Buffer> refused = uploadRaw(atrium, url, null, write(files, "x.txt", "x"));
      assertThat(refused.statusCode()).as(url + ": " + refused.bodyAsString()).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("callback_url");
    }
    assertThat(atrium.get("/api/v1/documents").bodyAsJsonObject().getJsonArray("documents")).as("nothing kept").isEmpty();
    assertThat(atrium.get("/api/v1/tasks").bodyAsJsonObject().getJsonArray("tasks")).isEmpty();
    assertThat(uploadRaw(atrium, "ftp://example.org/hook", null, write(files, "y.txt", "y")).statusCode()).isEqualTo(400);
    assertThat(uploadRaw(atrium, "https://example.org/hook", "everything", write(files, "z.txt", "z")).statusCode())
        .isEqualTo(400);
  }

  @Test
  void withoutASecretCallbacksAreRefused(Vertx vertx, @TempDir Path dataDir, @TempDir Path files) throws IOException {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    HttpResponse<Buffer> refused = uploadRaw(atrium, "https://example.org/hook", null, write(files, "s.txt", "s"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsString()).contains("webhooks.secret");
  }

  // ---- helpers ----

  private long upload(AtriumHarness atrium, String callback, String events, Path... documents) {
    HttpResponse<Buffer> response = uploadRaw(atrium, callback, events, documents);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    return response.bodyAsJsonObject().getLong("task_id");
  }

  private static HttpResponse<Buffer> uploadRaw(AtriumHarness atrium, String callback, String events, Path... documents) {
    MultipartForm form = MultipartForm.create().attribute("callback_url", callback);
    if (events != null) {
      form.attribute("callback_events", events);
    }
    for (Path document : documents) {
      form.binaryFileUpload("files", document.getFileName().toString(), document.toString(), "text/plain");
    }
    return atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/documents/upload").sendMultipartForm(form).await();
  }

  private void awaitReceived(int count) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (received.size() < count && System.nanoTime() < deadline) {
      sleep(50);
    }
    assertThat(received.size()).as("requests the receiver got").isGreaterThanOrEqualTo(count);
  }

  /** The task's deliveries once none is pending. */
  private static JsonArray awaitDelivered(AtriumHarness atrium, long task) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    JsonArray deliveries = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<Buffer> response = atrium.get("/api/v1/tasks/" + task + "/deliveries");
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      deliveries = response.bodyAsJsonObject().getJsonArray("deliveries");
      if (!deliveries.isEmpty() && deliveries.stream().allMatch(d -> "delivered".equals(((JsonObject) d).getString("status")))) {
        return deliveries;
      }
      sleep(50);
    }
    throw new AssertionError("deliveries of task " + task + " not all delivered: " + deliveries);
  }

  private static Path write(Path dir, String name, String content) throws IOException {
    return Files.writeString(Files.createTempDirectory(dir, "f").resolve(name), content);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
