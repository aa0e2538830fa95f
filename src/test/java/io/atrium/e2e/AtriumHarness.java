package io.atrium.e2e;

import io.atrium.app.AtriumConfig;
import io.atrium.app.MainVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts a whole embedded atrium in a test's Vert.x (port 0, data in a temp folder) and talks to it over HTTP. */
public final class AtriumHarness {
  public static final Path SHARED = Path.of(System.getProperty("atrium.shared", "../shared")).toAbsolutePath().normalize();
  public static final Path DOCS = SHARED.resolve("data/docs");

  public final Vertx vertx;
  public final Path dataDir;
  public final WebClient client;
  public final AtomicInteger exits = new AtomicInteger();
  public int port;
  private String deploymentId;

  public AtriumHarness(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  public static JsonObject config(Path dataDir, Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(overrides);
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
    return this;
  }

  /** Undeploys atrium (every verticle it deployed), as a graceful stop would. */
  public void stop() {
    vertx.undeploy(deploymentId).await();
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

  /** Polls the ingest status until it is one of {@code statuses} or the deadline passes. */
  public JsonObject awaitStatus(long resourceId, Duration timeout, String... statuses) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject status = null;
    while (System.nanoTime() < deadline) {
      status = get("/ingest/status/" + resourceId).bodyAsJsonObject();
      for (String wanted : statuses) {
        if (wanted.equals(status.getString("status"))) {
          return status;
        }
      }
      sleep(100);
    }
    throw new AssertionError("resource " + resourceId + " did not reach " + String.join("/", statuses)
        + " within " + timeout + "; last status " + status);
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

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
