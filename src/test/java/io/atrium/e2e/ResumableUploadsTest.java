package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable uploads over tus 1.0 (issue 15): the real tus-js-client (npm) sends a file, is cut off half-way, resumes at
 * the offset atrium kept and finishes; the document holds the same bytes. The protocol's refusals, termination and
 * expiry, each with nothing left on disk.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class ResumableUploadsTest {
  private static final Path TUS_CLIENT = Path.of(System.getProperty("atrium.clis",
      System.getProperty("user.home") + "/.cache/atrium-clis/node_modules/.bin")).getParent().resolve("tus-js-client");

  @Test
  void theRealTusClientResumesAnInterruptedUploadAtItsOffset(Vertx vertx, @TempDir Path dataDir, @TempDir Path work)
      throws Exception {
    assumeTrue(Files.isDirectory(TUS_CLIENT), "tus-js-client is not installed (scripts/clis installs it)");
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    long base = atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "archive")).bodyAsJsonObject().getLong("id");
    byte[] bytes = new byte[3 * 1024 * 1024 + 123];
    new Random(7).nextBytes(bytes);
    Path file = Files.write(work.resolve("recording.bin"), bytes);
    Path script = Files.copy(Path.of("src/test/resources/tus/upload.cjs"), work.resolve("upload.cjs"));
    String endpoint = "http://127.0.0.1:" + atrium.port + "/api/v1/uploads/";

    String stopped = node(script, endpoint, file, "recording.bin", base, 1024 * 1024, null);
    assertThat(stopped).startsWith("STOPPED ");
    String url = stopped.split(" ")[1];
    HttpResponse<Buffer> head = tus(atrium, HttpMethod.HEAD, url.substring(url.indexOf("/api/"))).send().await();
    long kept = Long.parseLong(head.getHeader("Upload-Offset"));
    assertThat(kept).as("the bytes that arrived before the cut are kept").isGreaterThanOrEqualTo(1024 * 1024)
        .isLessThan(bytes.length);
    assertThat(head.getHeader("Upload-Length")).isEqualTo(Integer.toString(bytes.length));

    String done = node(script, endpoint, file, "recording.bin", base, 0, url);
    assertThat(done).isEqualTo("DONE " + url);
    HttpResponse<Buffer> finished = tus(atrium, HttpMethod.HEAD, url.substring(url.indexOf("/api/"))).send().await();
    long document = Long.parseLong(finished.getHeader("Atrium-Document-Id"));
    JsonObject stored = atrium.get("/api/v1/documents/" + document).bodyAsJsonObject();
    assertThat(stored.getLong("knowledge_base_id")).isEqualTo(base);
    assertThat(stored.getString("file_name")).isEqualTo("recording.bin");
    assertThat(stored.getString("content_hash")).isEqualTo(sha256(bytes));
    Path copy = atrium.dataDir.resolve(atrium.get("/ingest/status/" + document).bodyAsJsonObject().getString("file_path"));
    assertThat(Files.readAllBytes(copy)).as("byte for byte").isEqualTo(bytes);
    assertThat(finished.getHeader("Atrium-Task-Id")).isNotBlank();
  }

  @Test
  void theProtocolsRefusalsNameTheProblemAndLeaveNothingBehind(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_TUS_MAX_SIZE_MB", "1"));
    HttpResponse<Buffer> options = atrium.client.request(HttpMethod.OPTIONS, atrium.port, "127.0.0.1", "/api/v1/uploads/")
        .send().await();
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.getHeader("Tus-Version")).isEqualTo("1.0.0");
    assertThat(options.getHeader("Tus-Extension")).contains("creation", "creation-with-upload", "termination", "expiration");
    assertThat(options.getHeader("Tus-Max-Size")).isEqualTo(Long.toString(1024 * 1024));

    HttpResponse<Buffer> noVersion = atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/uploads/")
        .putHeader("Upload-Length", "10").send().await();
    assertThat(noVersion.statusCode()).isEqualTo(412);
    assertThat(tus(atrium, HttpMethod.POST, "/api/v1/uploads/").send().await().statusCode()).as("no length").isEqualTo(400);
    HttpResponse<Buffer> tooBig = tus(atrium, HttpMethod.POST, "/api/v1/uploads/").putHeader("Upload-Length", "2000000")
        .send().await();
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(tooBig.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("Upload-Length");
    assertThat(tus(atrium, HttpMethod.POST, "/api/v1/uploads/").putHeader("Upload-Length", "5")
        .putHeader("Upload-Metadata", "filename ***").send().await().statusCode()).as("bad base64").isEqualTo(400);
    assertThat(tus(atrium, HttpMethod.POST, "/api/v1/uploads/").putHeader("Upload-Length", "5")
        .putHeader("Upload-Metadata", "knowledge_base_id " + b64("999")).send().await().statusCode()).as("unknown base")
        .isEqualTo(404);
    assertThat(leftOnDisk(atrium)).as("nothing made by a refused creation").isEmpty();

    String location = tus(atrium, HttpMethod.POST, "/api/v1/uploads/").putHeader("Upload-Length", "11")
        .putHeader("Upload-Metadata", "filename " + b64("note.txt")).send().await().getHeader("Location");
    assertThat(location).startsWith("/api/v1/uploads/");
    assertThat(tus(atrium, HttpMethod.PATCH, location).putHeader("Upload-Offset", "0")
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("hello")).await().statusCode()).isEqualTo(415);
    HttpResponse<Buffer> wrongOffset = patch(atrium, location, 3, "hello");
    assertThat(wrongOffset.statusCode()).isEqualTo(409);
    assertThat(wrongOffset.getHeader("Upload-Offset")).isEqualTo("0");
    HttpResponse<Buffer> first = patch(atrium, location, 0, "hello");
    assertThat(first.statusCode()).isEqualTo(204);
    assertThat(first.getHeader("Upload-Offset")).isEqualTo("5");
    assertThat(patch(atrium, location, 5, "far too many bytes").statusCode()).as("past the length").isEqualTo(413);
    assertThat(tus(atrium, HttpMethod.DELETE, location).send().await().statusCode()).isEqualTo(204);
    assertThat(tus(atrium, HttpMethod.HEAD, location).send().await().statusCode()).isEqualTo(404);
    assertThat(leftOnDisk(atrium)).as("a terminated upload's bytes are gone").isEmpty();
    assertThat(tus(atrium, HttpMethod.HEAD, "/api/v1/uploads/../../atrium.db").send().await().statusCode()).isEqualTo(404);
  }

  @Test
  void aSmallFileCanComeWithItsCreationAndBecomesADocument(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    String text = "Creation with upload: the whole note in the POST.";
    HttpResponse<Buffer> created = tus(atrium, HttpMethod.POST, "/api/v1/uploads/")
        .putHeader("Upload-Length", Integer.toString(text.length()))
        .putHeader("Upload-Metadata", "filename " + b64("whole.txt"))
        .putHeader("Content-Type", "application/offset+octet-stream").sendBuffer(Buffer.buffer(text)).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("Upload-Offset")).isEqualTo(Integer.toString(text.length()));
    long document = Long.parseLong(created.getHeader("Atrium-Document-Id"));
    atrium.awaitStatus(document, java.time.Duration.ofMinutes(2), "done");
    assertThat(atrium.get("/api/v1/documents/" + document).bodyAsJsonObject().getLong("knowledge_base_id")).isEqualTo(1);
  }

  @Test
  void anUnfinishedUploadExpiresAndItsBytesAreDeleted(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness first = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_TUS_EXPIRE_S", "1"));
    String location = tus(first, HttpMethod.POST, "/api/v1/uploads/").putHeader("Upload-Length", "100").send().await()
        .getHeader("Location");
    assertThat(patch(first, location, 0, "part of it").statusCode()).isEqualTo(204);
    assertThat(leftOnDisk(first)).isNotEmpty();
    first.stop();
    Thread.sleep(1_200);
    AtriumHarness second = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_TUS_EXPIRE_S", "1"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!leftOnDisk(second).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(leftOnDisk(second)).isEmpty();
    assertThat(tus(second, HttpMethod.HEAD, location).send().await().statusCode()).isEqualTo(404);
  }

  // ---- helpers ----

  private static HttpRequest<Buffer> tus(AtriumHarness atrium, HttpMethod method, String path) {
    return atrium.client.request(method, atrium.port, "127.0.0.1", path).putHeader("Tus-Resumable", "1.0.0");
  }

  private static HttpResponse<Buffer> patch(AtriumHarness atrium, String location, long offset, String bytes) {
    return tus(atrium, HttpMethod.PATCH, location).putHeader("Upload-Offset", Long.toString(offset))
        .putHeader("Content-Type", "application/offset+octet-stream").sendBuffer(Buffer.buffer(bytes)).await();
  }

  private static List<Path> leftOnDisk(AtriumHarness atrium) {
    Path dir = atrium.dataDir.resolve("uploads-tus");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String node(Path script, String endpoint, Path file, String name, long base, long stopAfter, String url)
      throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("node", script.toString(), TUS_CLIENT.toString(), endpoint,
        file.toString(), name, Long.toString(base), Long.toString(stopAfter)));
    if (url != null) {
      command.add(url);
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (AtriumHarness.TEST_TOKEN != null) {
      builder.environment().put("ATRIUM_TOKEN", AtriumHarness.TEST_TOKEN);
    }
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    String[] lines = out.split("\n");
    return lines[lines.length - 1].strip();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
