package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an API token configured, nothing of atrium answers without it: every route, WebSocket and the event-bus
 * bridge. Sockets open with a short-lived ticket asked for with the token; a ticket expires, opens no route and
 * cannot be forged. Named tokens work side by side (rotation) and /health shows their use, never their secret.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class ApiTokensTest {
  private static final String TOKEN = "tok-0123456789abcdef0123456789";
  private static final String CI_TOKEN = "ci-fedcba9876543210fedcba98";
  private static final int TICKET_TTL_S = 5;

  @TempDir
  Path dataDir;
  AtriumHarness atrium;
  /** Sends only the credentials each request names (the harness's client may carry the suite's test token). */
  WebClient client;
  WebSocketClient sockets;

  @BeforeEach
  void start(Vertx vertx) {
    atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_HTTP_API_TOKEN", TOKEN,
        "ATRIUM_HTTP_API_TOKENS", "ci:" + CI_TOKEN, "ATRIUM_HTTP_TICKET_TTL_S", String.valueOf(TICKET_TTL_S)));
    client = WebClient.create(vertx);
    sockets = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() {
    sockets.close().await();
    client.close();
    atrium.stop();
  }

  @Test
  void noRouteAnswersWithoutTheToken() {
    List<HttpRequest<Buffer>> requests = List.of(
        bare("GET", "/health"),
        bare("POST", "/search/hybrid"),
        bare("GET", "/ingest/status/1"),
        bare("POST", "/shutdown"),
        bare("GET", "/no/such/route"),
        bare("POST", "/api/v1/auth/ticket"),
        bare("GET", "/eventbus/info"));
    for (HttpRequest<Buffer> request : requests) {
      HttpResponse<Buffer> response = request.sendJsonObject(new JsonObject().put("query", "x")).await();
      assertUnauthorized(response);
    }
    HttpResponse<Buffer> upload = bare("POST", "/api/v1/documents/upload")
        .sendMultipartForm(MultipartForm.create().textFileUpload("files", "note.txt", Buffer.buffer("planted"), "text/plain"))
        .await();
    assertUnauthorized(upload);
    assertUnauthorized(bare("GET", "/health").bearerTokenAuthentication(TOKEN + "0").send().await());
    assertUnauthorized(bare("GET", "/health").putHeader("Authorization", "Basic " + TOKEN).send().await());
    assertThat(atrium.exits.get()).as("the refused /shutdown did nothing").isZero();
    assertThat(as(TOKEN, "GET", "/ingest/status/1").send().await().statusCode()).as("nothing was uploaded").isEqualTo(404);
  }

  @Test
  void withEitherNamedTokenEverythingWorksAndHealthCountsTheirUse() {
    HttpResponse<Buffer> upload = as(CI_TOKEN, "POST", "/api/v1/documents/upload")
        .sendMultipartForm(MultipartForm.create().binaryFileUpload("files", "testMARKDOWN.md",
            AtriumHarness.doc("md/testMARKDOWN.md").toString(), "text/markdown"))
        .await();
    assertThat(upload.statusCode()).isEqualTo(202);
    long id = upload.bodyAsJsonObject().getJsonArray("resources").getJsonObject(0).getLong("resource_id");
    try (EventLog ticks = EventLog.ticks(atrium.vertx, Duration.ofMillis(200))) {
      ticks.awaitState("the upload to be indexed", Duration.ofMinutes(2),
          () -> as(TOKEN, "GET", "/ingest/status/" + id).send().await().bodyAsJsonObject(),
          status -> "done".equals(status.getString("status")));
    }
    HttpResponse<Buffer> search = as(TOKEN, "POST", "/search/hybrid")
        .sendJsonObject(new JsonObject().put("query", "markdown")).await();
    assertThat(search.statusCode()).isEqualTo(200);

    JsonObject auth = as(TOKEN, "GET", "/health").send().await().bodyAsJsonObject().getJsonObject("auth");
    assertThat(auth.getBoolean("required")).isTrue();
    assertThat(auth.getJsonArray("tokens").stream().map(t -> ((JsonObject) t).getString("name")))
        .containsExactly("default", "ci");
    assertThat(auth.getJsonArray("tokens").getJsonObject(1).getLong("requests")).isEqualTo(1);
    assertThat(auth.encode()).doesNotContain(TOKEN).doesNotContain(CI_TOKEN);
  }

  @Test
  void aWebSocketOpensWithATicketOrTheHeaderButNothingElse() throws Exception {
    for (String uri : new String[] {"/ws/notifications", "/ws/chat?request_id=r-1", "/eventbus/websocket"}) {
      assertRejected(handshake(uri), 401);
      assertRejected(handshake(uri + (uri.contains("?") ? "&" : "?") + "ticket=t1.default.9999999999.00.forged"), 401);
    }
    // a client that can set headers (not a browser) may use the token itself
    sockets.connect(handshake("/ws/notifications").putHeader("Authorization", "Bearer " + TOKEN)).await().close().await();

    String ticket = ticket(TOKEN).getString("ticket");
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    WebSocket socket = sockets.connect(handshake("/ws/notifications?ticket=" + ticket)).await();
    socket.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      frames.add(frame);
      if ("done".equals(frame.getString("status"))) {
        done.complete(null);
      }
    });
    HttpResponse<Buffer> upload = as(TOKEN, "POST", "/api/v1/documents/upload")
        .sendMultipartForm(MultipartForm.create().textFileUpload("files", "ticket.txt",
            Buffer.buffer("A note about tickets and sockets."), "text/plain"))
        .await();
    assertThat(upload.statusCode()).isEqualTo(202);
    done.get(2, TimeUnit.MINUTES);
    socket.close().await();

    // the SockJS bridge: its info request and its raw WebSocket, with the same ticket in the URL
    HttpResponse<Buffer> info = bare("GET", "/eventbus/info?ticket=" + ticket).send().await();
    assertThat(info.statusCode()).isEqualTo(200);
    sockets.connect(handshake("/eventbus/websocket?ticket=" + ticket)).await().close().await();
  }

  @Test
  void aTicketOpensNoRouteAndCannotBeUsedAsAToken() {
    String ticket = ticket(TOKEN).getString("ticket");
    assertUnauthorized(bare("GET", "/health?ticket=" + ticket).send().await());
    assertUnauthorized(bare("GET", "/health").bearerTokenAuthentication(ticket).send().await());
    assertUnauthorized(bare("POST", "/api/v1/auth/ticket?ticket=" + ticket).send().await());
  }

  @Test
  void aTicketExpires() throws Exception {
    JsonObject issued = ticket(TOKEN);
    assertThat(issued.getLong("expires_in_s")).isEqualTo(TICKET_TTL_S);
    Instant expiresAt = Instant.parse(issued.getString("expires_at"));
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 1100);
    UpgradeRejectedException refused = assertRejected(handshake("/ws/notifications?ticket=" + issued.getString("ticket")),
        401);
    assertThat(refused.getBody().toJsonObject().getJsonObject("error").getString("message")).contains("expired");
  }

  @Test
  void beyondLoopbackWithoutATokenAtriumRefusesToStartUnlessToldItIsInsecure(Vertx vertx, @TempDir Path other) {
    Map<String, String> open = Map.of("ATRIUM_HTTP_HOST", "0.0.0.0", "ATRIUM_HTTP_API_TOKEN", "");
    assertThatThrownBy(() -> new AtriumHarness(vertx, other).start(open))
        .hasMessageContaining("0.0.0.0").hasMessageContaining("no API token").hasMessageContaining("ATRIUM_HTTP_API_TOKEN");
    assertThat(other.resolve("atrium.db")).as("refused before anything started").doesNotExist();

    AtriumHarness insecure = new AtriumHarness(vertx, other).start(Map.of("ATRIUM_HTTP_HOST", "0.0.0.0",
        "ATRIUM_HTTP_API_TOKEN", "", "ATRIUM_HTTP_INSECURE_NO_AUTH", "true"));
    try {
      assertThat(LogCapture.warnings()).anyMatch(line -> line.contains("WITHOUT authentication"));
      JsonObject health = insecure.get("/health").bodyAsJsonObject();
      assertThat(health.getJsonObject("auth").getBoolean("insecure_no_auth")).isTrue();
    } finally {
      insecure.stop();
    }
  }

  private HttpRequest<Buffer> bare(String method, String uri) {
    return client.request(HttpMethod.valueOf(method), atrium.port, "127.0.0.1", uri);
  }

  private HttpRequest<Buffer> as(String token, String method, String uri) {
    return bare(method, uri).bearerTokenAuthentication(token);
  }

  private JsonObject ticket(String token) {
    HttpResponse<Buffer> issued = as(token, "POST", "/api/v1/auth/ticket").send().await();
    assertThat(issued.statusCode()).isEqualTo(201);
    return issued.bodyAsJsonObject();
  }

  private WebSocketConnectOptions handshake(String uri) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(atrium.port).setURI(uri);
  }

  private UpgradeRejectedException assertRejected(WebSocketConnectOptions handshake, int status) {
    UpgradeRejectedException[] refused = new UpgradeRejectedException[1];
    assertThatThrownBy(() -> sockets.connect(handshake).await()).as(handshake.getURI())
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
          assertThat(e.getStatus()).isEqualTo(status);
          refused[0] = e;
        });
    return refused[0];
  }

  private static void assertUnauthorized(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("www-authenticate")).startsWith("Bearer");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("unauthorized");
    assertThat(error.getString("field")).isIn("Authorization", "ticket");
  }
}
