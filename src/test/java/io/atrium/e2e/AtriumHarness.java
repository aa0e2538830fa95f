package io.atrium.e2e;

import io.atrium.app.AtriumConfig;
import io.atrium.app.MainVerticle;
import io.atrium.http.HttpVerticle;
import io.atrium.bus.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts a whole embedded atrium in a test's Vert.x (port 0, data in a temp folder) and talks to it over HTTP. */
public final class AtriumHarness {
  public static final Path SHARED = Path.of(System.getProperty("atrium.shared", "../shared")).toAbsolutePath().normalize();
  public static final Path DOCS = SHARED.resolve("data/docs");
  /**
   * An API token every harness-started atrium requires and every harness client sends, when
   * {@code -Datrium.test.api_token=} is given: the whole e2e suite then runs as it would behind a token.
   */
  public static final String TEST_TOKEN = System.getProperty("atrium.test.api_token", "").isBlank()
      ? null : System.getProperty("atrium.test.api_token");

  public final Vertx vertx;
  public final Path dataDir;
  public final WebClient client;
  public final AtomicInteger exits = new AtomicInteger();
  public int port;
  private String deploymentId;

  public AtriumHarness(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    WebClient plain = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    this.client = TEST_TOKEN == null ? plain : WebClientSession.create(plain).addHeader("Authorization", "Bearer " + TEST_TOKEN);
  }

  /** The handshake (or request) options with the test token, when the suite runs with one. */
  public static <T extends RequestOptions> T authorized(T options) {
    if (TEST_TOKEN != null) {
      options.putHeader("Authorization", "Bearer " + TEST_TOKEN);
    }
    return options;
  }

  /** The environment of a child atrium: the test token too, when the suite runs with one. */
  public static Map<String, String> withTestToken(Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(env);
    if (TEST_TOKEN != null) {
      all.putIfAbsent("ATRIUM_HTTP_API_TOKEN", TEST_TOKEN);
    }
    return all;
  }

  public static JsonObject config(Path dataDir, Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(withTestToken(overrides));
    env.putIfAbsent("ATRIUM_DATA_DIR", dataDir.toString());
    env.putIfAbsent("ATRIUM_HTTP_PORT", "0");
    env.putIfAbsent("ATRIUM_INGEST_RETRY_BACKOFF_MS", "100");
    return AtriumConfig.load(null, env);
  }

  public AtriumHarness start(Map<String, String> overrides) {
    System.setProperty("ai.djl.offline", "true");
    deploymentId = vertx.deployVerticle(new MainVerticle(exits::incrementAndGet),
        new DeploymentOptions().setConfig(config(dataDir, overrides))).await();
    port = (Integer) vertx.sharedData().getLocalMap("atrium").get("http.port");
    StopAtriumsAfterEachTest.started(this);
    return this;
  }

  /**
   * One more HTTP front end on the same bus (another port), configured by {@code overrides}: the same verticles
   * behind it, so a benchmark can compare two HTTP settings (with and without a token) request by request.
   */
  public int startFrontEnd(Map<String, String> overrides) {
    vertx.deployVerticle(new HttpVerticle(), new DeploymentOptions()
        .setConfig(MainVerticle.httpConfig(config(dataDir, overrides)))).await();
    return (Integer) vertx.sharedData().getLocalMap("atrium").get("http.port");
  }

  /** Undeploys atrium (every verticle it deployed), as a graceful stop would. */
  public void stop() {
    StopAtriumsAfterEachTest.stopped(this);
    vertx.undeploy(deploymentId).await();
  }

  /** {@link #stop}, for a clean-up: an atrium whose Vert.x the test closed already is stopped as it is. */
  void stopQuietly() {
    try {
      vertx.undeploy(deploymentId).await(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception alreadyGone) {
      // the test closed its Vert.x or undeployed atrium its own way
    }
  }

  /** A harness for an atrium running elsewhere (a child process) on {@code port}: only its HTTP API is reachable. */
  public static AtriumHarness remote(Vertx vertx, Path dataDir, int port) {
    AtriumHarness remote = new AtriumHarness(vertx, dataDir);
    remote.port = port;
    return remote;
  }

  public AtriumHarness start() {
    return start(Map.of());
  }

  public HttpResponse<Buffer> get(String path) {
    return client.get(port, "127.0.0.1", path).send().await();
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return client.post(port, "127.0.0.1", path).sendJsonObject(body).await();
  }

  public HttpResponse<Buffer> postRaw(String path, String contentType, String body) {
    return client.post(port, "127.0.0.1", path).putHeader("content-type", contentType).sendBuffer(Buffer.buffer(body)).await();
  }

  /** Uploads files as one multipart request. */
  public HttpResponse<Buffer> upload(Path... files) {
    MultipartForm form = MultipartForm.create();
    for (Path file : files) {
      form.binaryFileUpload("files", file.getFileName().toString(), file.toString(), "application/octet-stream");
    }
    return client.post(port, "127.0.0.1", "/api/v1/documents/upload").sendMultipartForm(form).await();
  }

  /**
   * Uploads files in one request (it must be accepted) and waits until each is indexed ("done"); answers their
   * resource ids in the order given.
   */
  public List<Long> uploadIndexed(Path... files) {
    HttpResponse<Buffer> response = upload(files);
    if (response.statusCode() != 202) {
      throw new AssertionError("upload refused: " + response.statusCode() + " " + response.bodyAsString());
    }
    List<Long> ids = new java.util.ArrayList<>();
    for (Object resource : response.bodyAsJsonObject().getJsonArray("resources")) {
      long id = ((JsonObject) resource).getLong("resource_id");
      awaitStatus(id, Duration.ofMinutes(2), "done");
      ids.add(id);
    }
    return ids;
  }

  /**
   * Waits until the ingest status of a resource is one of {@code statuses}: read once, then again at each
   * notification about it on {@code /ws/notifications?resource_id=}, which is opened before the first read (so it
   * works as well against a child process). Answers that status; fails with the last one read and the
   * notifications seen.
   */
  public JsonObject awaitStatus(long resourceId, Duration timeout, String... statuses) {
    Set<String> wanted = Set.of(statuses);
    try (EventLog notifications = EventLog.onWebSocket(vertx, port, "/ws/notifications?resource_id=" + resourceId)) {
      return notifications.awaitState("resource " + resourceId + " to be " + String.join(" or ", statuses), timeout,
          () -> status(resourceId), status -> wanted.contains(status.getString("status")));
    }
  }

  /**
   * The ingest status as a client reads it. In this JVM the store's writer is first given the time to record what it
   * was sent: an error is announced as soon as the failure is sent to the store, not once it is recorded.
   */
  private JsonObject status(long resourceId) {
    if (deploymentId != null) {
      storeCaughtUp();
    }
    return get("/ingest/status/" + resourceId).bodyAsJsonObject();
  }

  /**
   * Returns once the store's writer has handled every request sent to it so far: it is one worker instance that
   * handles its requests in the order they came, so its answer to a request sent now (a write that matches no row)
   * comes after theirs.
   */
  public void storeCaughtUp() {
    try {
      vertx.eventBus().request(Addresses.STORE_RESOURCE_STAGE, new JsonObject().put("id", 0).put("stage", "todo"),
          new DeliveryOptions().setSendTimeout(30_000)).await();
    } catch (ReplyException e) {
      if (e.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
        throw new AssertionError("the store's writer did not answer", e);
      }
    }
  }

  public JsonObject search(JsonObject request) {
    HttpResponse<Buffer> response = post("/search/hybrid", request);
    if (response.statusCode() != 200) {
      throw new AssertionError("search failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  public static Path doc(String relative) {
    Path path = DOCS.resolve(relative);
    if (!Files.isRegularFile(path)) {
      throw new AssertionError("test document missing: " + path);
    }
    return path;
  }
}
