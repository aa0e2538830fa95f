package io.atrium.bench;

import io.atrium.bus.Addresses;
import io.atrium.e2e.AtriumHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * A whole embedded atrium (AtriumHarness: real verticles, real HTTP on port 0, a temp data folder) plus the bus
 * calls a benchmark needs to load documents the way the ingest pipeline does: rows via
 * {@code atrium.store.resource.create}, chunks + vectors via {@code atrium.embed.document} (atrium's own chunker
 * and embedder), then {@code atrium.store.chunks.replace}.
 */
final class BenchAtrium implements AutoCloseable {
  static final long BUS_TIMEOUT_MS = 30 * 60_000L;

  final Vertx vertx;
  final AtriumHarness harness;
  final Path dataDir;
  final JsonObject config;

  private BenchAtrium(Vertx vertx, AtriumHarness harness, Path dataDir, JsonObject config) {
    this.vertx = vertx;
    this.harness = harness;
    this.dataDir = dataDir;
    this.config = config;
  }

  static BenchAtrium start(Map<String, String> overrides) {
    try {
      Path dataDir = Files.createTempDirectory("atrium-bench-");
      Vertx vertx = Vertx.vertx();
      AtriumHarness harness = new AtriumHarness(vertx, dataDir).start(overrides);
      return new BenchAtrium(vertx, harness, dataDir, AtriumHarness.config(dataDir, overrides));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path databaseFile() {
    return dataDir.resolve("atrium.db");
  }

  String model() {
    return config.getJsonObject("embed").getString("model");
  }

  int chunkSize() {
    return config.getJsonObject("chunk").getInteger("size_tokens");
  }

  int chunkOverlap() {
    return config.getJsonObject("chunk").getInteger("overlap_tokens");
  }

  JsonObject request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS))
        .map(Message::body).await();
  }

  /** Creates {@code count} resource rows (file_hash set, so a replace leaves them synced); ids in order. */
  List<Long> createResources(List<String> filePaths) {
    List<Long> ids = new ArrayList<>(filePaths.size());
    for (int from = 0; from < filePaths.size(); from += 500) {
      JsonArray files = new JsonArray();
      for (String path : filePaths.subList(from, Math.min(filePaths.size(), from + 500))) {
        files.add(new JsonObject().put("file_path", path).put("file_name", Path.of(path).getFileName().toString())
            .put("file_type", "txt").put("file_hash", "bench"));
      }
      JsonArray created = request(Addresses.STORE_RESOURCE_CREATE,
          new JsonObject().put("files", files).put("task_title", "bench")).getJsonArray("resource_ids");
      created.forEach(id -> ids.add(((Number) id).longValue()));
    }
    return ids;
  }

  /** The text and blocks a parser would hand over for a titled document: the title as a heading block. */
  static JsonObject parsed(BenchData.Doc doc) {
    String title = doc.title() == null ? "" : doc.title().strip();
    String body = doc.text() == null ? "" : doc.text().strip();
    String text = title.isEmpty() ? body : body.isEmpty() ? title : title + "\n\n" + body;
    JsonArray blocks = new JsonArray();
    if (!title.isEmpty()) {
      blocks.add(new JsonArray().add(0).add(title.length()).addNull().add(true));
    }
    if (!body.isEmpty()) {
      int start = title.isEmpty() ? 0 : title.length() + 2;
      blocks.add(new JsonArray().add(start).add(text.length()).addNull().add(false));
    }
    return new JsonObject().put("text", text).put("blocks", blocks).put("content_type", "text/plain").put("pages", 0);
  }

  /**
   * Chunks and embeds every document through {@code atrium.embed.document} ({@code inFlight} at a time, so both
   * embedder threads stay busy); element i is the embed reply's chunk array of document i.
   */
  List<JsonArray> embedDocuments(List<BenchData.Doc> docs, int inFlight, ProgressLine progress) {
    AtomicReferenceArray<JsonArray> out = new AtomicReferenceArray<>(docs.size());
    runBounded(docs.size(), inFlight, i -> {
      // resource_id only labels progress events; -1 is no resource in flight, so the ingest side ignores them
      JsonObject body = parsed(docs.get(i)).put("resource_id", -1L);
      return vertx.eventBus().<JsonObject>request(Addresses.EMBED_DOCUMENT, body,
              new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS))
          .map(reply -> {
            out.set(i, reply.body().getJsonArray("chunks"));
            progress.tick();
            return null;
          });
    });
    List<JsonArray> result = new ArrayList<>(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      result.add(out.get(i));
    }
    return result;
  }

  /** Writes each resource's chunks through {@code atrium.store.chunks.replace}. */
  void replaceChunks(List<Long> resourceIds, IntFunction<JsonArray> chunksOf, String model, int inFlight) {
    runBounded(resourceIds.size(), inFlight, i -> vertx.eventBus().<JsonObject>request(Addresses.STORE_CHUNKS_REPLACE,
            new JsonObject().put("resource_id", resourceIds.get(i)).put("indexed_hash", "bench").put("model", model)
                .put("chunks", chunksOf.apply(i)), new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS))
        .mapEmpty());
  }

  /** Runs {@code count} asynchronous jobs, at most {@code inFlight} at once; throws the first failure. */
  static void runBounded(int count, int inFlight, IntFunction<Future<?>> job) {
    Semaphore permits = new Semaphore(inFlight);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try {
      for (int i = 0; i < count && failure.get() == null; i++) {
        permits.acquire();
        job.apply(i).onComplete(ar -> {
          if (ar.failed()) {
            failure.compareAndSet(null, ar.cause());
          }
          permits.release();
        });
      }
      permits.acquire(inFlight);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("bus request failed: " + failure.get().getMessage(), failure.get());
    }
  }

  /** POST /search/hybrid over HTTP; null when atrium answers 400 (e.g. nothing searchable in the query). */
  /**
   * Stops atrium and starts it again on the same data folder, as a restart would (a vector index choice of
   * "auto" is made again); answers the seconds until Lucene and the vectors answer searches again.
   */
  double restart(Map<String, String> overrides) {
    harness.stop();
    long start = System.nanoTime();
    harness.start(overrides);
    JsonObject probe = new JsonObject().put("query", "restart probe").put("engine", "lucene");
    while (true) {
      var response = harness.post("/search/hybrid", probe);
      if (response.statusCode() == 200 && !response.bodyAsJsonObject().containsKey("degraded")) {
        return (System.nanoTime() - start) / 1e9;
      }
      if (response.statusCode() != 200 && response.statusCode() != 503) {
        throw new IllegalStateException("search failed after restart: " + response.statusCode() + " " + response.bodyAsString());
      }
      QualityBench.sleep(500);
    }
  }

  JsonObject search(JsonObject request) {
    var response = harness.post("/search/hybrid", request);
    if (response.statusCode() == 400) {
      return null;
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("search failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  @Override
  public void close() {
    try {
      vertx.close().await();
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp folder left behind is harmless
      }
    }
  }

  /** Prints "label: n/total" every few seconds. */
  static final class ProgressLine {
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long lastPrint = System.nanoTime();

    ProgressLine(String label, int total) {
      this.label = label;
      this.total = total;
    }

    void tick() {
      int n = done.incrementAndGet();
      long now = System.nanoTime();
      if (now - lastPrint > 30_000_000_000L || n == total) {
        lastPrint = now;
        System.err.printf("  .. %s %d/%d (%.0f s)%n", label, n, total, (now - start) / 1e9);
      }
    }
  }

  static Map<Long, Integer> indexOf(List<Long> ids) {
    Map<Long, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    return index;
  }
}
