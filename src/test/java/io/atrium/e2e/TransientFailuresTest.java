package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.fakes.FakeEmbeddingServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dependency that is down (here the remote embedding endpoint) is retried with backoff, then leaves the file in
 * error with the reason; the file can be retried by hand or deleted, and search says it is degraded, never hangs.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class TransientFailuresTest {
  @TempDir
  Path dataDir;
  FakeEmbeddingServer embeddings = new FakeEmbeddingServer();
  AtriumHarness atrium;

  @BeforeEach
  void start(Vertx vertx) {
    int port = embeddings.start(vertx);
    atrium = new AtriumHarness(vertx, dataDir).start(Map.of(
        "ATRIUM_EMBED_PROVIDER", "openai",
        "ATRIUM_EMBED_REMOTE_BASE_URL", "http://127.0.0.1:" + port + "/v1",
        "ATRIUM_EMBED_REMOTE_MODEL", "fake-embed",
        "ATRIUM_INGEST_MAX_ATTEMPTS", "3",
        "ATRIUM_INGEST_RETRY_BACKOFF_MS", "50"));
  }

  @AfterEach
  void stop() {
    embeddings.stop();
  }

  @Test
  void aBrieflyFailingEmbedderIsRetriedAutomatically() {
    embeddings.failuresBeforeUp.set(2);
    long id = uploadOne("office/testWORD.docx");
    JsonObject status = atrium.awaitStatus(id, Duration.ofMinutes(1), "done", "error");
    assertThat(status.getString("status")).as(status.encode()).isEqualTo("done");
    assertThat(embeddings.requests.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aDownEmbedderEndsInErrorThenManualRetryAndDeleteWork() throws Exception {
    embeddings.down.set(true);
    long id = uploadOne("office/testWORD.docx");
    JsonObject failed = atrium.awaitStatus(id, Duration.ofMinutes(1), "error");
    assertThat(failed.getString("last_error")).contains("embedding endpoint");
    assertThat(embeddings.requests.get()).isEqualTo(3);

    JsonObject degraded = atrium.search(new JsonObject().put("query", "sample document"));
    assertThat(degraded.getJsonArray("degraded")).containsExactly("vector");

    embeddings.down.set(false);
    assertThat(atrium.client.post(atrium.port, "127.0.0.1", "/ingest/retry/" + id).send().await().statusCode()).isEqualTo(202);
    assertThat(atrium.awaitStatus(id, Duration.ofMinutes(1), "done", "error").getString("status")).isEqualTo("done");
    assertThat(atrium.search(new JsonObject().put("query", "sample document")).getJsonArray("results")).isNotEmpty();
    assertThat(atrium.client.post(atrium.port, "127.0.0.1", "/ingest/retry/" + id).send().await().statusCode())
        .as("only a resource in error can be retried").isEqualTo(409);

    Path stored = Path.of(failed.getString("file_path"));
    assertThat(atrium.client.delete(atrium.port, "127.0.0.1", "/api/v1/documents/" + id).send().await().statusCode()).isEqualTo(200);
    assertThat(atrium.get("/ingest/status/" + id).statusCode()).isEqualTo(404);
    assertThat(Files.exists(stored)).isFalse();
    assertThat(atrium.search(new JsonObject().put("query", "sample document")).getJsonArray("results")).isEmpty();
  }

  private long uploadOne(String doc) {
    JsonArray resources = atrium.upload(AtriumHarness.doc(doc)).bodyAsJsonObject().getJsonArray("resources");
    return resources.getJsonObject(0).getLong("resource_id");
  }
}
