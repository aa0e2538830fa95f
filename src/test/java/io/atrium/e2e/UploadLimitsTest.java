package io.atrium.e2e;

import static io.atrium.e2e.BadRequestsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload costs no more than its limits allow: going over one is a 4xx naming it, and its temporary files go
 * however it ends (accepted, refused, the client gone mid-body, atrium killed mid-upload).
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class UploadLimitsTest {
  static final String BOUNDARY = "atrium-test-boundary";

  @TempDir
  Path dataDir;

  @Test
  void threeHundredFilesInOneUploadAreAcceptedAndLeaveNoTempFile(Vertx vertx) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();

    HttpResponse<Buffer> response = postMultipart(atrium, notes(300));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject().getJsonArray("resources")).hasSize(300);
    awaitNoTempFiles(vertx);
  }

  @Test
  void morePartsThanAllowedAre413NamingTheLimitAndLeaveNoTempFile(Vertx vertx) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_HTTP_UPLOAD_MAX_PARTS", "100"));

    HttpResponse<Buffer> response = postMultipart(atrium, notes(300));

    assertError(response, 413, "files");
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("100", "http.upload_max_parts");
    awaitNoTempFiles(vertx);
    assertThat(atrium.get("/ingest/status/1").statusCode()).as("no resource was created").isEqualTo(404);
  }

  @Test
  void aFileNameOverTheLimitIs400NamingTheFieldAndStoresNothing(Vertx vertx) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    String internalError = "on POST /api/v1/documents/upload";
    int internalErrorsBefore = LogCapture.linesContaining(internalError).size();
    List<String> hostileNames = List.of("a".repeat(5000) + ".txt", "é".repeat(5000), "a." + "b".repeat(5000),
        "\uD83D\uDCDA".repeat(256) + ".pdf");

    for (String name : hostileNames) {
      Buffer body = part("files", name, "a note about rivers").appendString("--" + BOUNDARY + "--\r\n");
      HttpResponse<Buffer> response = postMultipart(atrium, body);
      assertError(response, 400, "files");
      assertThat(response.bodyAsString()).doesNotContain("Exception", "at io.");
    }

    assertThat(LogCapture.linesContaining(internalError)).as("no internal error, no stack trace")
        .hasSize(internalErrorsBefore);
    assertThat(atrium.get("/ingest/status/1").statusCode()).isEqualTo(404);
    assertThat(filesUnder(dataDir.resolve("files"))).isEmpty();
    awaitNoTempFiles(vertx);
  }

  @Test
  void aNameAtTheLimitIsKeptShortenedToFitTheDiskBetweenCharacters(Vertx vertx) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    String books = "a" + "\uD83D\uDCDA".repeat(250) + ".pdf"; // 255 characters, 1,005 bytes in UTF-8

    HttpResponse<Buffer> response = postMultipart(atrium, part("files", books, "rivers")
        .appendString("--" + BOUNDARY + "--\r\n"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject().getJsonArray("resources").getJsonObject(0).getString("file_name"))
        .startsWith("a\uD83D\uDCDA").endsWith("\uD83D\uDCDA.pdf");
  }

  @Test
  void aClientThatGoesAwayMidBodyLeavesNoTempFile(Vertx vertx) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    Path tmp = dataDir.resolve("uploads-tmp");

    try (RawConnection client = RawConnection.open(vertx, atrium.port)) {
      client.send(uploadHead(10_000_000)).send(firstNotes(3)).send(part("files", "cut.txt", "x".repeat(64 * 1024)));
      awaitState(vertx, "the first parts on disk", () -> filesUnder(tmp).size(), files -> files >= 3);
    }

    awaitNoTempFiles(vertx);
  }

  @Test
  void partsLeftByAKilledAtriumAreSweptAtTheNextStart(Vertx vertx) throws Exception {
    Path tmp = dataDir.resolve("uploads-tmp");
    ChildAtrium first = ChildAtrium.start(dataDir, Map.of(), dataDir.resolve("first.log"));
    first.awaitHealthy(vertx);
    try (RawConnection client = RawConnection.open(vertx, first.port)) {
      client.send(uploadHead(10_000_000)).send(firstNotes(3)).send(part("files", "cut.txt", "x".repeat(64 * 1024)));
      awaitState(vertx, "the first parts on disk", () -> filesUnder(tmp).size(), files -> files >= 3);
      first.process.destroyForcibly().waitFor();
    }
    int left = filesUnder(tmp).size();
    assertThat(left).as("kill -9 leaves the parts behind").isGreaterThanOrEqualTo(3);

    ChildAtrium second = ChildAtrium.start(dataDir, Map.of(), dataDir.resolve("second.log"));
    try {
      second.awaitHealthy(vertx);
      assertThat(filesUnder(tmp)).isEmpty();
      assertThat(Files.readString(second.log)).contains("removed " + left + " files left in " + tmp);
    } finally {
      second.process.destroyForcibly().waitFor();
    }
  }

  /** A whole multipart body of {@code count} small text file parts. */
  static Buffer notes(int count) {
    return firstNotes(count).appendString("--" + BOUNDARY + "--\r\n");
  }

  /** {@code count} small text file parts, the body going on after them. */
  static Buffer firstNotes(int count) {
    Buffer body = Buffer.buffer();
    for (int i = 0; i < count; i++) {
      body.appendBuffer(part("files", "note-" + i + ".txt", "note " + i + " about rivers"));
    }
    return body;
  }

  static Buffer part(String field, String fileName, String content) {
    return Buffer.buffer("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
        + fileName + "\"\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n");
  }

  static String uploadHead(long contentLength) {
    return "POST /api/v1/documents/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (AtriumHarness.TEST_TOKEN == null ? "" : "Authorization: Bearer " + AtriumHarness.TEST_TOKEN + "\r\n")
        + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }

  static HttpResponse<Buffer> postMultipart(AtriumHarness atrium, Buffer body) {
    return atrium.client.post(atrium.port, "127.0.0.1", "/api/v1/documents/upload")
        .putHeader("content-type", "multipart/form-data; boundary=" + BOUNDARY).sendBuffer(body).await();
  }

  /** The clean-up runs once the exchange is over, which the client may see first: give it a bounded moment. */
  private void awaitNoTempFiles(Vertx vertx) {
    Path tmp = dataDir.resolve("uploads-tmp");
    awaitState(vertx, "uploads-tmp to be empty", () -> entriesOf(tmp), List::isEmpty);
  }

  private static <T> void awaitState(Vertx vertx, String what, EventLog.State<T> read,
      java.util.function.Predicate<? super T> reached) {
    try (EventLog ticks = EventLog.ticks(vertx, Duration.ofMillis(100))) {
      ticks.awaitState(what, Duration.ofSeconds(10), read, reached);
    }
  }

  private static List<Path> entriesOf(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }

  static List<Path> filesUnder(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      return tree.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
