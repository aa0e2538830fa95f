package io.atrium.bench;

import io.atrium.bus.Addresses;
import io.atrium.e2e.AtriumHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Uploads (issue 15), in one run against an in-process atrium: the acceptance latency from a request's last byte to
 * its task id (50 × 10 MB in one request; 200 concurrent 1 MB uploads and 1 KB uploads while ingest runs), the
 * upload's throughput to disk against {@code cat} of the same bytes to the same disk, a tus upload of the same bytes,
 * and webhook deliveries to a local receiver: per second, and from each task's end to its delivery.
 * Usage: scripts/bench/uploads [files=50] [file MB=10] [concurrent=200] [small=300] [webhooks=200]
 */
public final class UploadsBench {
  private static final long MB = 1024 * 1024;
  private static final String BOUNDARY = "atrium-bench-boundary-7d1c";
  /** The clients' own Vert.x: the uploads' files are read through its file system. */
  private static Vertx clientVertx;

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int fileMb = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int concurrent = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int small = args.length > 3 ? Integer.parseInt(args[3]) : 300;
    int hooks = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    Path shared = Path.of(System.getProperty("atrium.shared", "../shared")).toAbsolutePath();
    Path work = Files.createTempDirectory("atrium-uploads-bench");
    System.out.printf("uploads benchmark: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).strip());

    Vertx vertx = Vertx.vertx();
    Map<String, String> overrides = new java.util.HashMap<>(Map.of("ATRIUM_WEBHOOKS_SECRET",
        "whsec_" + Base64.getEncoder().encodeToString("bench-secret-bench-secret-32byte".getBytes(StandardCharsets.UTF_8)),
        "ATRIUM_WEBHOOKS_ALLOW_PRIVATE", "true", "ATRIUM_HTTP_UPLOAD_LIMIT_MB", Long.toString(files * fileMb + 64L)));
    AtriumHarness atrium = new AtriumHarness(vertx, work.resolve("data")).start(overrides);
    Vertx clients = Vertx.vertx();
    clientVertx = clients;
    HttpClient http = clients.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(atrium.port),
        new PoolOptions().setHttp1MaxSize(Math.max(concurrent, 8)));
    try {
      List<Path> big = randomFiles(work.resolve("big"), files, fileMb * MB);
      bigUpload(http, big, work);
      tusUpload(http, big);
      List<Path> abstracts = abstracts(shared.resolve("data/retrieval/scifact/corpus.jsonl"), work.resolve("abstracts"), 400);
      send(http, multipart(abstracts)).await(); // the embedder is kept busy by these while the next ones are measured
      List<Path> megabytes = randomFiles(work.resolve("mb"), concurrent, MB);
      concurrentUploads(http, megabytes);
      Path kilobyte = Files.writeString(work.resolve("note.txt"), "a short note about proteins and cells. ".repeat(25));
      smallUploads(http, kilobyte, small);
      webhooks(vertx, clients, http, atrium, work, hooks);
    } finally {
      clients.close().await();
      vertx.close().await();
      deleteTree(work);
    }
    System.exit(0);
  }

  /** One request with every file; the disk throughput against cat's. */
  private static void bigUpload(HttpClient http, List<Path> files, Path work) throws Exception {
    long bytes = files.stream().mapToLong(UploadsBench::size).sum();
    // cat first and after: the page cache holds the files for both, so each reads from memory and writes to disk
    double catBefore = cat(files, work.resolve("cat-out"));
    Timed upload = send(http, multipart(files)).await();
    double catAfter = cat(files, work.resolve("cat-out"));
    double uploadMbs = bytes / (double) MB / (upload.totalMs / 1000);
    double catMbs = bytes / (double) MB / ((catBefore + catAfter) / 2);
    System.out.printf("1. %d × %d MB in one multipart request: accepted %.1f ms after its last byte (goal < 100 ms), "
            + "status %d; whole request %.2f s = %.0f MB/s; cat of the same files to the same disk %.0f MB/s "
            + "(%.2f s / %.2f s); upload / cat = %.2f (goal >= 0.8)%n", files.size(), size(files.get(0)) / MB,
        upload.acceptMs, upload.status, upload.totalMs / 1000, uploadMbs, catMbs, catBefore, catAfter, uploadMbs / catMbs);
  }

  /** The same bytes as one tus upload in 8 MB PATCHes. */
  private static void tusUpload(HttpClient http, List<Path> files) throws Exception {
    long bytes = files.stream().mapToLong(UploadsBench::size).sum();
    long start = System.nanoTime();
    HttpClientResponse created = http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/uploads/")
            .putHeader("Tus-Resumable", "1.0.0").putHeader("Upload-Length", Long.toString(bytes))
            .putHeader("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString("big.bin".getBytes(StandardCharsets.UTF_8))))
        .compose(HttpClientRequest::send).compose(r -> r.body().map(b -> r)).await();
    String location = created.getHeader("Location");
    if (created.statusCode() != 201) {
      throw new IllegalStateException("tus POST answered " + created.statusCode());
    }
    long offset = 0;
    byte[] chunk = new byte[(int) (8 * MB)];
    for (Path file : files) {
      try (var in = Files.newInputStream(file)) {
        for (int n; (n = in.readNBytes(chunk, 0, chunk.length)) > 0; ) {
          Buffer piece = Buffer.buffer(java.util.Arrays.copyOf(chunk, n));
          Answer patched = http.request(new RequestOptions().setMethod(HttpMethod.PATCH).setURI(location)
                  .putHeader("Tus-Resumable", "1.0.0").putHeader("Upload-Offset", Long.toString(offset))
                  .putHeader("Content-Type", "application/offset+octet-stream"))
              .compose(request -> request.send(piece)).compose(r -> r.body().map(b -> new Answer(r.statusCode(), b))).await();
          if (patched.status() != 204) {
            throw new IllegalStateException("tus PATCH of " + location + " at " + offset + " answered " + patched.status()
                + ": " + patched.body());
          }
          offset += n;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("2. the same %d MB as one tus upload in 8 MB PATCHes: %.2f s = %.0f MB/s (hashed, handed to ingest "
        + "at the last byte)%n", bytes / MB, seconds, bytes / (double) MB / seconds);
  }

  private static void concurrentUploads(HttpClient http, List<Path> files) throws Exception {
    List<Future<Timed>> sent = new ArrayList<>();
    for (Path file : files) {
      sent.add(send(http, multipart(List.of(file))));
    }
    List<Double> accept = new ArrayList<>();
    int ok = 0;
    for (Future<Timed> timed : sent) {
      Timed t = timed.await();
      accept.add(t.acceptMs);
      ok += t.status == 202 ? 1 : 0;
    }
    System.out.printf("3. %d concurrent 1 MB uploads while 400 abstracts ingest: accepted after the last byte p50 %.1f ms, "
        + "p99 %.1f ms (goal p99 < 100 ms); %d of %d answered 202%n", files.size(), percentile(accept, 50),
        percentile(accept, 99), ok, files.size());
  }

  private static void smallUploads(HttpClient http, Path file, int count) throws Exception {
    List<Double> accept = new ArrayList<>();
    List<Double> whole = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Timed t = send(http, multipart(List.of(file))).await();
      accept.add(t.acceptMs);
      whole.add(t.totalMs);
    }
    System.out.printf("4. %d 1 KB uploads one after another while ingest runs: accepted after the last byte p50 %.2f ms, "
        + "p99 %.2f ms; whole request p50 %.2f ms, p99 %.2f ms (goal p99 < 20 ms)%n", count, percentile(accept, 50),
        percentile(accept, 99), percentile(whole, 50), percentile(whole, 99));
  }

  /** Each upload a task with a callback to a local receiver: deliveries per second, and end → delivery. */
  private static void webhooks(Vertx atriumVertx, Vertx clients, HttpClient http, AtriumHarness atrium, Path work,
      int count) throws Exception {
    Map<Long, Long> ended = new ConcurrentHashMap<>();
    Map<Long, Long> delivered = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(count);
    atriumVertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_TASK, m -> {
      JsonObject event = m.body();
      if (!event.containsKey("item") && List.of("succeeded", "failed", "partial").contains(event.getString("status"))) {
        ended.putIfAbsent(event.getLong("task_id"), System.nanoTime());
      }
    }).completion().await();
    var receiver = clients.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      long task = body.toJsonObject().getJsonObject("data").getLong("task_id");
      if (delivered.putIfAbsent(task, System.nanoTime()) == null) {
        all.countDown();
      }
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    String callback = "http://127.0.0.1:" + receiver.actualPort() + "/hook";
    Path note = Files.writeString(work.resolve("hooked.txt"), "A note whose task calls back when it ends.");
    // the note is indexed once; each upload after it is a duplicate, so its task ends at once and what is measured
    // is the delivery, not the indexing
    send(http, multipart(List.of(note))).await();
    long start = System.nanoTime();
    List<Future<Timed>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(send(http, multipart(List.of(note), Map.of("callback_url", callback))));
    }
    for (Future<Timed> f : sent) {
      f.await();
    }
    boolean allArrived = all.await(5, TimeUnit.MINUTES);
    long last = delivered.values().stream().mapToLong(Long::longValue).max().orElse(start);
    List<Double> lag = new ArrayList<>();
    delivered.forEach((task, at) -> {
      Long end = ended.get(task);
      if (end != null) {
        lag.add((at - end) / 1e6);
      }
    });
    System.out.printf("5. %d uploads of a file already indexed (each task ends at once), each with a callback to a local "
            + "receiver: %d delivered%s in %.2f s from the first upload = "
            + "%.0f deliveries/s; task end → delivery p50 %.1f ms, p99 %.1f ms (goal p99 < 50 ms)%n", count,
        delivered.size(), allArrived ? "" : " (NOT ALL)", (last - start) / 1e9, delivered.size() / ((last - start) / 1e9),
        percentile(lag, 50), percentile(lag, 99));
    receiver.close().await();
  }

  // ---- requests ----

  private record Timed(int status, double acceptMs, double totalMs) {
  }

  private record Answer(int status, Buffer body) {
  }

  /** A multipart body: each file part (streamed from disk), then the form fields. */
  private record Multipart(List<Path> files, Map<String, String> fields) {
  }

  private static Multipart multipart(List<Path> files) {
    return new Multipart(files, Map.of());
  }

  private static Multipart multipart(List<Path> files, Map<String, String> fields) {
    return new Multipart(files, fields);
  }

  /**
   * Sends a multipart upload, its parts streamed from disk; times the answer from the moment the last byte was
   * written to the connection, and the whole request.
   */
  private static Future<Timed> send(HttpClient http, Multipart body) {
    long start = System.nanoTime();
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/documents/upload")
            .putHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).putHeader("Transfer-Encoding", "chunked"))
        .compose(request -> {
          request.setChunked(true);
          Future<Void> written = Future.succeededFuture();
          for (Map.Entry<String, String> field : body.fields().entrySet()) {
            written = written.compose(v -> request.write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\""
                + field.getKey() + "\"\r\n\r\n" + field.getValue() + "\r\n"));
          }
          for (Path file : body.files()) {
            written = written.compose(v -> request.write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; "
                    + "name=\"files\"; filename=\"" + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"))
                .compose(v -> clientVertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)))
                // the client reads 256 KB at a time (Vert.x's 8 KB made the client the bottleneck)
                .compose(in -> in.setReadBufferSize(256 * 1024).pipe().endOnSuccess(false).to(request).eventually(() -> in.close().otherwiseEmpty()))
                .compose(v -> request.write("\r\n"));
          }
          long[] lastByte = {0};
          Future<HttpClientResponse> response = request.response();
          written.compose(v -> request.end("--" + BOUNDARY + "--\r\n")).onSuccess(v -> lastByte[0] = System.nanoTime());
          return response.compose(r -> r.body().map(b -> {
            long now = System.nanoTime();
            return new Timed(r.statusCode(), (now - (lastByte[0] == 0 ? now : lastByte[0])) / 1e6, (now - start) / 1e6);
          }));
        });
  }

  // ---- data ----

  private static List<Path> randomFiles(Path dir, int count, long bytes) throws Exception {
    Files.createDirectories(dir);
    Random random = new Random(11);
    byte[] block = new byte[(int) Math.min(bytes, MB)];
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve("file-" + i + ".bin");
      try (var out = Files.newOutputStream(file)) {
        for (long written = 0; written < bytes; written += block.length) {
          random.nextBytes(block);
          out.write(block, 0, (int) Math.min(block.length, bytes - written));
        }
      }
      files.add(file);
    }
    return files;
  }

  private static List<Path> abstracts(Path corpus, Path dir, int count) throws Exception {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(corpus)) {
      for (String line; files.size() < count && (line = reader.readLine()) != null; ) {
        JsonObject doc = new JsonObject(line);
        files.add(Files.writeString(dir.resolve("scifact-" + doc.getString("_id") + ".txt"),
            doc.getString("title") + "\n\n" + doc.getString("text")));
      }
    }
    return files;
  }

  /** Seconds for cat to copy the files to one file on the same disk, flushed (as the upload's files are not). */
  private static double cat(List<Path> files, Path out) throws Exception {
    List<String> command = new ArrayList<>(List.of("cat"));
    files.forEach(f -> command.add(f.toString()));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("cat failed");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Files.delete(out);
    return seconds;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double percentile(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
