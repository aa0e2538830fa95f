package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web page the user happens to open, on another site, cannot drive atrium or read it: every attack of issue 12's
 * first two items, sent as a browser would send it (Origin, simple content types, WebSocket handshakes, a rebound
 * Host), is refused before any route runs; atrium's own pages and named origins still work.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class CrossSiteRequestsTest {
  private static final String EVIL = "http://evil.example";

  @TempDir
  Path dataDir;
  AtriumHarness atrium;
  WebSocketClient sockets;

  @BeforeEach
  void start(Vertx vertx) {
    atrium = new AtriumHarness(vertx, dataDir).start();
    sockets = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() {
    sockets.close().await();
    atrium.stop();
  }

  @Test
  void aForeignPageCannotShutAtriumDown() {
    HttpResponse<Buffer> refused = atrium.client.post(atrium.port, "127.0.0.1", "/shutdown").putHeader("Origin", EVIL)
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("x")).await();
    assertForbidden(refused, "Origin");
    assertThat(atrium.exits.get()).isZero();
    assertThat(atrium.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aTextPlainBodyNeverReachesAJsonEndpoint() {
    String chat = new JsonObject().put("provider", "openai").put("model", "gpt-4o-mini")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
        .encode();
    HttpResponse<Buffer> response = atrium.postRaw("/chat/completions", "text/plain", chat);
    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("Content-Type");
    assertThat(atrium.postRaw("/search/hybrid", "application/x-www-form-urlencoded", "query=x").statusCode())
        .isEqualTo(415);
    assertThat(atrium.postRaw("/search/hybrid", "application/json; charset=utf-8", "{\"query\":\"x\"}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aCrossSiteFormUploadStoresNothing() {
    HttpResponse<Buffer> refused = atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/documents/upload")
        .putHeader("Origin", EVIL)
        .sendMultipartForm(MultipartForm.create().textFileUpload("files", "note.txt", Buffer.buffer("planted"), "text/plain"))
        .await();
    assertForbidden(refused, "Origin");
    assertThat(atrium.get("/ingest/status/1").statusCode()).isEqualTo(404);
  }

  @Test
  void noWebSocketOpensForAForeignOrigin() {
    for (String uri : new String[] {"/ws/chat?session_id=1", "/ws/notifications", "/eventbus/websocket"}) {
      assertThatThrownBy(() -> sockets.connect(handshake(uri).addHeader("Origin", EVIL)).await())
          .as(uri).isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(403));
    }
    sockets.connect(handshake("/ws/notifications").addHeader("Origin", "http://127.0.0.1:" + atrium.port)).await()
        .close().await();
  }

  @Test
  void theBridgeNeverEchoesAForeignOrigin() {
    HttpResponse<Buffer> info = atrium.client.get(atrium.port, "127.0.0.1", "/eventbus/info").putHeader("Origin", EVIL)
        .send().await();
    assertForbidden(info, "Origin");
    assertThat(info.getHeader("access-control-allow-origin")).isNull();
    assertThat(atrium.get("/eventbus/info").statusCode()).as("no Origin: not a browser page").isEqualTo(200);
  }

  @Test
  void chatDeltasAreNeverAFirehose() {
    assertThatThrownBy(() -> sockets.connect(handshake("/ws/chat")).await())
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(400));
    sockets.connect(handshake("/ws/chat?request_id=r-1")).await().close().await();
  }

  @Test
  void aReboundHostNameIsNotServed() {
    HttpResponse<Buffer> rebound = atrium.client.get(atrium.port, "127.0.0.1", "/health")
        .virtualHost("attacker.example").send().await();
    assertForbidden(rebound, "Host");
    for (String served : new String[] {"localhost", "127.0.0.1", "192.168.1.5", "[::1]"}) {
      assertThat(atrium.client.get(atrium.port, "127.0.0.1", "/health").virtualHost(served).send().await().statusCode())
          .as(served).isEqualTo(200);
    }
  }

  @Test
  void atriumsOwnPagesAndNamedOriginsAndHostsAreServed(Vertx vertx) {
    assertThat(atrium.client.post(atrium.port, "127.0.0.1", "/heartbeat")
        .putHeader("Origin", "http://127.0.0.1:" + atrium.port).send().await().statusCode()).isEqualTo(200);
    atrium.stop();
    atrium = new AtriumHarness(vertx, dataDir).start(Map.of(
        "ATRIUM_HTTP_ALLOWED_ORIGINS", "http://console.example:3000, https://other.example",
        "ATRIUM_HTTP_ALLOWED_HOSTS", "atrium.lan"));
    HttpResponse<Buffer> named = atrium.client.post(atrium.port, "127.0.0.1", "/heartbeat")
        .putHeader("Origin", "http://console.example:3000").send().await();
    assertThat(named.statusCode()).isEqualTo(200);
    assertThat(named.getHeader("access-control-allow-origin")).isEqualTo("http://console.example:3000");
    assertForbidden(atrium.client.post(atrium.port, "127.0.0.1", "/heartbeat").putHeader("Origin", EVIL).send().await(),
        "Origin");
    assertThat(atrium.client.get(atrium.port, "127.0.0.1", "/health").virtualHost("atrium.lan").send().await().statusCode())
        .isEqualTo(200);
  }

  private WebSocketConnectOptions handshake(String uri) {
    return AtriumHarness.authorized(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(atrium.port).setURI(uri));
  }

  private static void assertForbidden(HttpResponse<Buffer> response, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(403);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("forbidden");
    assertThat(error.getString("field")).isEqualTo(field);
  }
}
