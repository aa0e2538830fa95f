package io.atrium.bench;

import io.atrium.search.Fusion;
import io.atrium.search.LuceneIndex;
import io.atrium.search.VectorMath;

import io.atrium.bus.Addresses;
import io.atrium.bus.Vectors;
import io.atrium.text.SearchText;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Search latency of atrium ({@code POST /search/hybrid} over HTTP, once per full-text engine) against the raw
 * engines, in one JVM and one run, at growing index sizes. Raw parts: FTS5 (a plain sqlite-jdbc connection on the
 * same database file running atrium's MATCH expression, bm25 top-100), Lucene (atrium's own {@link LuceneIndex},
 * built here from the same rows into a scratch folder, BM25 top-100 of the same analysed terms), an exact scan of
 * the same vectors (one flat float[], the Vector API dot product when available, top-100) and Lucene's HNSW graph
 * of them (recall@100 against the exact scan). Each engine's build rate, disk and heap are measured on the same
 * rows. Chunk rows are SciFact's (atrium's chunks and vectors, from the quality benchmark's cache), repeated with
 * distinct ids, written through {@code atrium.store.chunks.replace}, 100 chunks per resource.
 *
 * <p>Options: --set scifact|cmrc (the Chinese set)  --sizes 10000,100000  --queries 300  --warmup 50  --fts5-queries N (FTS5 parts measured on the
 * first N queries only; default all)  --hnsw true|false (build the raw HNSW copy)  --vector-index exact|hnsw|auto
 * (atrium's setting)  --restart true (restart atrium after each load, so "auto" chooses again)
 */
public final class SearchBench {
  private static final int RAW_TOP = 100;
  private static final int CHUNKS_PER_RESOURCE = 100;
  /** The token of the second HTTP front end: the same atrium behind it, to price the auth check per request. */
  private static final String BENCH_TOKEN = "bench-token-0123456789abcdef0123456789";
  private static final int HTTP_LAYER_REQUESTS = 5000;
  private static int tokenPort;

  /** One measured part of a query: runs it and answers how many hits it produced. */
  private interface Part {
    long run(int query) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = QualityBench.options(args);
    int[] sizes = Arrays.stream(options.getOrDefault("sizes", "10000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
    int queryCount = Integer.parseInt(options.getOrDefault("queries", "300"));
    int warmupCount = Integer.parseInt(options.getOrDefault("warmup", "50"));
    int fts5Queries = Integer.parseInt(options.getOrDefault("fts5-queries", String.valueOf(queryCount)));
    boolean hnsw = Boolean.parseBoolean(options.getOrDefault("hnsw", "true"));
    String vectorIndex = options.getOrDefault("vector-index", "auto");
    boolean restart = Boolean.parseBoolean(options.getOrDefault("restart", "false"));

    QualityBench.RetrievalSet set = QualityBench.SETS.get(options.getOrDefault("set", "scifact"));
    if (set == null) {
      throw new IllegalArgumentException("--set must be one of " + QualityBench.SETS.keySet());
    }
    Path dir = BenchData.retrieval(set.dir());
    Path corpusFile = dir.resolve("corpus.jsonl");
    List<BenchData.Doc> docs = BenchData.corpus(corpusFile);
    Map<String, String> queryText = BenchData.queries(dir.resolve("queries.jsonl"));
    // the judged queries (SciFact: train): the first N are measured, the next ones warm up
    List<String> judged = BenchData.qrels(dir.resolve(set.qrelsFile())).keySet().stream()
        .filter(queryText::containsKey).map(queryText::get).toList();
    List<String> measured = judged.subList(0, Math.min(queryCount, judged.size()));
    List<String> warmup = judged.subList(measured.size(), Math.min(judged.size(), measured.size() + warmupCount));

    Map<String, String> settings = Map.of("ATRIUM_SEARCH_VECTOR_INDEX", vectorIndex);
    try (BenchAtrium atrium = BenchAtrium.start(settings)) {
      tokenPort = atrium.harness.startFrontEnd(Map.of("ATRIUM_HTTP_API_TOKEN", BENCH_TOKEN));
      ChunkCache.Entry entry = ChunkCache.obtain(atrium, set.key(), corpusFile, docs);
      List<JsonObject> source = new ArrayList<>(entry.chunkCount());
      entry.chunks().forEach(chunks -> chunks.forEach(c -> source.add((JsonObject) c)));
      int dim = entry.dimension();

      System.out.println("# atrium search latency — " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
          + " cores, Java " + Runtime.version().feature() + ", model " + entry.model() + " (" + dim + " dims), -Xmx"
          + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
      System.out.println("# rows: " + set.key() + "'s " + source.size() + " atrium chunks (" + docs.size() + " docs) repeated with"
          + " distinct ids, " + CHUNKS_PER_RESOURCE + " chunks per resource, written via atrium.store.chunks.replace"
          + (entry.fromCache() ? " (vectors from cache)" : ""));
      System.out.println("# queries: " + measured.size() + " " + set.key() + " queries (" + set.qrelsFile() + "), sequential, one client, after "
          + warmup.size() + " other warm-up queries; the parts interleaved per query, order rotated");
      System.out.println("# atrium lucene / fts5: POST /search/hybrid {\"query\", \"engine\"} over loopback HTTP (hybrid,"
          + " default fusion, top_k 10, 100 candidates per engine, vector index " + vectorIndex + "; includes embedding the query)");
      System.out.println("# atrium lucene, token: the same request to a second HTTP front end of the same atrium that"
          + " requires an API token (Authorization: Bearer), interleaved with the first: the auth check's cost");
      System.out.println("# raw FTS5  : sqlite-jdbc on the same file: SELECT rowid FROM context_chunks_fts WHERE"
          + " context_chunks_fts MATCH <atrium's own MATCH expression> ORDER BY bm25(context_chunks_fts) LIMIT 100");
      System.out.println("# raw Lucene: atrium's LuceneIndex over the same rows in a scratch folder, BM25 top-100 of the same terms");
      System.out.println("# raw scan  : the same vectors in one flat float[], " + (VectorMath.SIMD ? "Vector API" : "scalar")
          + " dot products, top-100, one thread; query vectors computed beforehand by atrium.embed.query");
      System.out.println("# raw HNSW  : Lucene's HNSW graph (default M 16, beam 100) of the same vectors, top-100;"
          + " recall@100 = share of its hits at least as similar as the exact scan's 100th (rows repeat, so ids tie)");

      System.out.println(BenchData.loadLine("start"));

      // query vectors (atrium's own embedder, over the bus) for the raw scan, and the embed latency for reference
      float[][] measuredVectors = embed(atrium, measured);
      float[][] warmupVectors = embed(atrium, warmup);

      int loaded = 0;
      double loadTotal = 0;
      for (int size : sizes) {
        long start = System.nanoTime();
        int before = loaded;
        loaded = load(atrium, source, loaded, size, entry.model());
        int added = loaded - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        loadTotal += seconds;
        System.out.println();
        System.out.printf("%,d chunks: loaded %d more chunks via atrium.store.chunks.replace in %.1f s"
            + " (%.0f chunks/s; %.1f s in all so far; atrium's Lucene follows each change)%n", size, added, seconds,
            added / seconds, loadTotal);
        if (restart) {
          // with "auto", a start above search.exact_vector_limit chunks builds Lucene's HNSW graph instead of loading vectors
          System.out.printf("%,d chunks: atrium restarted; Lucene and the vectors answered again after %.1f s%n", size,
              atrium.restart(settings));
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + atrium.databaseFile());
             Engines engines = Engines.build(raw, atrium.dataDir.resolve("bench-" + size), size, dim, hnsw)) {
          long heapBefore = usedHeap();
          float[] flat = readVectors(raw, dim, size);
          long flatHeap = usedHeap() - heapBefore;
          engines.report(size, flatHeap, dim);
          awaitAtriumCurrent(atrium, size);
          Rounds warm = new Rounds(atrium, raw, engines, flat, dim, warmup, warmupVectors, warmup.size());
          warm.run();
          Rounds rounds = new Rounds(atrium, raw, engines, flat, dim, measured, measuredVectors, fts5Queries);
          rounds.run();
          rounds.report(size);
          System.out.println(BenchData.loadLine("the end of the " + size + "-chunk round"));
        }
      }
      httpLayerWithAndWithoutToken(atrium);
    }
    System.out.println(BenchData.loadLine("end"));
    System.exit(0);
  }

  /**
   * The auth check against the HTTP layer alone: a request that ends at the router (an unknown route, 404 after
   * the guards), alternately to the open front end and to the one that checks a token, one at a time.
   */
  private static void httpLayerWithAndWithoutToken(BenchAtrium atrium) {
    long[][] nanos = new long[2][HTTP_LAYER_REQUESTS];
    for (int i = 0; i < HTTP_LAYER_REQUESTS + 500; i++) {
      for (int step = 0; step < 2; step++) {
        int side = (i + step) % 2;
        var request = atrium.harness.client.get(side == 0 ? atrium.harness.port : tokenPort, "127.0.0.1", "/no/such/route");
        if (side == 1) {
          request.bearerTokenAuthentication(BENCH_TOKEN);
        }
        long t0 = System.nanoTime();
        int status = request.send().await().statusCode();
        long took = System.nanoTime() - t0;
        if (status != 404) {
          throw new IllegalStateException("expected 404 past the guards, got " + status);
        }
        if (i >= 500) { // the first 500 of each warm up
          nanos[side][i - 500] = took;
        }
      }
    }
    double[] open = percentiles(nanos[0]);
    double[] token = percentiles(nanos[1]);
    System.out.println();
    System.out.printf("HTTP layer alone (GET of an unknown route, %d each, interleaved): open p50 %.3f ms p99 %.3f ms;"
        + " with token p50 %.3f ms p99 %.3f ms; added by the token check p50 %+.3f ms, p99 %+.3f ms, mean %+.4f ms%n",
        HTTP_LAYER_REQUESTS, open[0], open[1], token[0], token[1], token[0] - open[0], token[1] - open[1],
        (Arrays.stream(nanos[1]).average().orElse(0) - Arrays.stream(nanos[0]).average().orElse(0)) / 1e6);
  }

  /** Waits until atrium's Lucene answers (its follow-up of the load is applied) and its vectors are loaded. */
  private static void awaitAtriumCurrent(BenchAtrium atrium, int size) {
    long start = System.nanoTime();
    atrium.search(new JsonObject().put("query", "warm up").put("engine", "lucene").put("mode", "fts"));
    QualityBench.sleep(2000); // the exact index reloads each replaced resource's vectors asynchronously
    System.out.printf("%,d chunks: atrium's Lucene was current %.1f s after the load%n", size, (System.nanoTime() - start) / 1e9);
  }

  static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      QualityBench.sleep(100);
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** The raw engines over the same rows: FTS5 rebuilt into a scratch file (for its build rate), Lucene, HNSW. */
  private static final class Engines implements AutoCloseable {
    final LuceneIndex text;
    final LuceneIndex vectors;
    final List<String> lines = new ArrayList<>();

    private Engines(LuceneIndex text, LuceneIndex vectors) {
      this.text = text;
      this.vectors = vectors;
    }

    static Engines build(Connection raw, Path scratch, int size, int dim, boolean hnsw) throws Exception {
      Files.createDirectories(scratch);
      List<String> lines = new ArrayList<>();
      // FTS5: the same terms into a fresh table of a scratch database (its file size is the index's disk)
      Path ftsFile = scratch.resolve("fts5.db");
      long t0 = System.nanoTime();
      try (Statement st = raw.createStatement()) {
        st.execute("ATTACH DATABASE '" + ftsFile + "' AS scratch");
        st.execute("CREATE VIRTUAL TABLE scratch.fts USING fts5(terms, tokenize = 'porter unicode61 remove_diacritics 2')");
        st.execute("INSERT INTO scratch.fts (rowid, terms) SELECT rowid, terms FROM main.context_chunks_fts");
        st.execute("DETACH DATABASE scratch");
      }
      double ftsSeconds = (System.nanoTime() - t0) / 1e9;
      lines.add(String.format("FTS5 build %6.1f s = %,9.0f chunks/s   disk %7.1f MB (%.1f MB per 100k)   heap: none"
          + " (SQLite's page cache, outside the Java heap)", ftsSeconds, size / ftsSeconds, mb(Files.size(ftsFile)),
          mb(Files.size(ftsFile)) * 100_000 / size));

      long heapBefore = usedHeap();
      t0 = System.nanoTime();
      LuceneIndex text = LuceneIndex.open(scratch.resolve("lucene-text"));
      feed(raw, text, false);
      text.commit(0, null);
      text.refresh();
      double textSeconds = (System.nanoTime() - t0) / 1e9;
      long textHeap = usedHeap() - heapBefore;
      lines.add(String.format("Lucene (text) build %6.1f s = %,9.0f chunks/s   disk %7.1f MB (%.1f MB per 100k)"
          + "   heap after open ~%.1f MB", textSeconds, size / textSeconds, mb(text.bytesOnDisk()),
          mb(text.bytesOnDisk()) * 100_000 / size, mb(textHeap)));

      LuceneIndex vectors = null;
      if (hnsw) {
        heapBefore = usedHeap();
        t0 = System.nanoTime();
        vectors = LuceneIndex.open(scratch.resolve("lucene-hnsw"));
        feed(raw, vectors, true);
        vectors.commit(0, "bench");
        vectors.refresh();
        double hnswSeconds = (System.nanoTime() - t0) / 1e9;
        long hnswHeap = usedHeap() - heapBefore;
        lines.add(String.format("Lucene (text + HNSW vectors) build %6.1f s = %,9.0f chunks/s   disk %7.1f MB (%.1f MB per 100k)"
            + "   heap after open ~%.1f MB (the graph and vectors are memory-mapped, off heap)", hnswSeconds,
            size / hnswSeconds, mb(vectors.bytesOnDisk()), mb(vectors.bytesOnDisk()) * 100_000 / size, mb(hnswHeap)));
      }
      Engines engines = new Engines(text, vectors);
      engines.lines.addAll(lines);
      return engines;
    }

    private static void feed(Connection raw, LuceneIndex index, boolean withVectors) throws SQLException, IOException {
      String sql = withVectors
          ? "SELECT c.id, c.resource_id, c.content, v.vector FROM context_chunks c JOIN chunk_vectors v ON v.chunk_id = c.id ORDER BY c.id"
          : "SELECT c.id, c.resource_id, c.content, NULL FROM context_chunks c ORDER BY c.id";
      List<LuceneIndex.ChunkDoc> batch = new ArrayList<>(2000);
      try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          batch.add(new LuceneIndex.ChunkDoc(rs.getLong(1), rs.getLong(2), rs.getString(3), withVectors ? rs.getBytes(4) : null));
          if (batch.size() == 2000) {
            index.add(batch);
            batch.clear();
          }
        }
      }
      index.add(batch);
    }

    void report(int size, long flatHeap, int dim) {
      String at = String.format("%,d chunks", size);
      lines.forEach(line -> System.out.println(at + "  " + line));
      System.out.printf("%s  exact vectors: flat float[] heap %.1f MB measured (%.1f MB per 100k; atrium's index adds"
          + " 8 bytes of chunk id per row: %.1f MB per 100k)%n", at, mb(flatHeap), mb(flatHeap) * 100_000 / size,
          mb(100_000L * (dim * 4L + 8)));
    }

    @Override
    public void close() throws IOException {
      text.close();
      if (vectors != null) {
        vectors.close();
      }
    }
  }

  static double mb(long bytes) {
    return bytes / 1048576.0;
  }

  /** The parts of every query, interleaved and rotated so no part always runs first. */
  private static final class Rounds {
    final List<String> names = new ArrayList<>();
    final List<Part> parts = new ArrayList<>();
    final long[][] nanos;
    final long[] hits;
    final int fts5Queries;
    final List<String> queries;
    final int[] recallHits;
    final float[][] vectors;
    final int k = RAW_TOP;
    final float[] flat;
    final int dim;
    final Engines engines;
    final PreparedStatement fts;
    int[][] exactTop;

    Rounds(BenchAtrium atrium, Connection raw, Engines engines, float[] flat, int dim, List<String> queries,
        float[][] vectors, int fts5Queries) throws SQLException {
      this.queries = queries;
      this.vectors = vectors;
      this.flat = flat;
      this.dim = dim;
      this.engines = engines;
      this.fts5Queries = fts5Queries;
      this.fts = raw.prepareStatement("SELECT rowid FROM context_chunks_fts WHERE context_chunks_fts"
          + " MATCH ? ORDER BY bm25(context_chunks_fts) LIMIT " + RAW_TOP);
      exactTop = new int[queries.size()][];
      recallHits = new int[queries.size()];
      add("atrium POST /search/hybrid, engine lucene", q -> atrium(atrium, q, "lucene"));
      add("atrium POST /search/hybrid, engine fts5  ", q -> q < fts5Queries ? atrium(atrium, q, "fts5") : -1);
      add("raw Lucene BM25 top-100                  ", q -> engines.text.search(engines.text.terms(termsOf(q)), null, RAW_TOP).size());
      add("raw FTS5 bm25 top-100                    ", q -> q < fts5Queries ? rawFts(q) : -1);
      add("raw exact vector scan top-100            ", q -> {
        exactTop[q] = scan(flat, dim, vectors[q], RAW_TOP);
        return exactTop[q].length;
      });
      if (engines.vectors != null) {
        add("raw Lucene HNSW top-100                  ", q -> {
          List<Fusion.Scored> found = engines.vectors.nearest(vectors[q], RAW_TOP, null);
          recallHits[q] = found.size();
          hnswScores.put(q, found.stream().mapToDouble(Fusion.Scored::score).toArray());
          return found.size();
        });
      }
      add("atrium POST /search/hybrid, vector top-100", q -> {
        JsonObject reply = atrium.search(new JsonObject().put("query", queries.get(q)).put("mode", "vector")
            .put("top_k", RAW_TOP).put("explain", true));
        atriumVectorIndex = reply.getJsonObject("engines").getString("vector");
        atriumVectorScores.put(q, reply.getJsonArray("results").stream()
            .mapToDouble(r -> ((JsonObject) r).getJsonObject("match").getDouble("vector_score")).toArray());
        return atriumVectorScores.get(q).length;
      });
      add("atrium POST /search/hybrid, lucene, token", q -> {
        HttpResponse<Buffer> reply = atrium.harness.client.post(tokenPort, "127.0.0.1", "/search/hybrid")
            .bearerTokenAuthentication(BENCH_TOKEN)
            .sendJsonObject(new JsonObject().put("query", queries.get(q)).put("engine", "lucene")).await();
        if (reply.statusCode() != 200) {
          throw new IllegalStateException("the token front end answered " + reply.statusCode() + ": " + reply.bodyAsString());
        }
        return reply.bodyAsJsonObject().getJsonArray("results").size();
      });
      add("atrium.embed.query over the bus          ", q -> {
        atrium.request(Addresses.EMBED_QUERY, new JsonObject().put("text", queries.get(q)));
        return 1;
      });
      nanos = new long[parts.size()][queries.size()];
      hits = new long[parts.size()];
    }

    final Map<Integer, double[]> hnswScores = new java.util.HashMap<>();
    final Map<Integer, double[]> atriumVectorScores = new java.util.HashMap<>();
    String atriumVectorIndex;

    private void add(String name, Part part) {
      names.add(name);
      parts.add(part);
    }

    private String termsOf(int q) {
      return SearchText.queryTerms(queries.get(q)).stream().map(SearchText.Token::text).collect(java.util.stream.Collectors.joining(" "));
    }

    private long rawFts(int q) throws SQLException {
      fts.setString(1, SearchText.ftsQuery(SearchText.queryTerms(queries.get(q))));
      long rows = 0;
      try (ResultSet rs = fts.executeQuery()) {
        while (rs.next()) {
          rows++;
        }
      }
      return rows;
    }

    private long atrium(BenchAtrium atrium, int q, String engine) {
      JsonObject reply = atrium.search(new JsonObject().put("query", queries.get(q)).put("engine", engine));
      if (reply == null || !engine.equals(reply.getJsonObject("engines").getString("full_text"))) {
        throw new IllegalStateException("atrium did not answer query " + queries.get(q) + " with " + engine + ": " + reply);
      }
      return reply.getJsonArray("results").size();
    }

    void run() throws Exception {
      for (int q = 0; q < queries.size(); q++) {
        for (int step = 0; step < parts.size(); step++) {
          int p = (q + step) % parts.size();
          long t0 = System.nanoTime();
          long found = parts.get(p).run(q);
          nanos[p][q] = found < 0 ? -1 : System.nanoTime() - t0;
          hits[p] += Math.max(0, found);
        }
      }
      fts.close();
    }

    void report(int size) {
      String at = String.format("%,d chunks", size);
      double[][] pct = new double[parts.size()][];
      for (int p = 0; p < parts.size(); p++) {
        long[] timed = Arrays.stream(nanos[p]).filter(n -> n >= 0).toArray();
        pct[p] = percentiles(timed);
        System.out.printf("%s  %s p50 %8.2f ms  p99 %8.2f ms  (%d queries, mean %.1f hits)%n", at, names.get(p),
            pct[p][0], pct[p][1], timed.length, (double) hits[p] / Math.max(1, timed.length));
      }
      int embed = parts.size() - 1;
      System.out.printf("%s  ratio atrium-lucene / (raw Lucene + raw scan + embed)  p50 %.2fx  p99 %.2fx%n", at,
          pct[0][0] / (pct[2][0] + pct[4][0] + pct[embed][0]), pct[0][1] / (pct[2][1] + pct[4][1] + pct[embed][1]));
      System.out.printf("%s  ratio atrium-fts5   / (raw FTS5 + raw scan + embed)    p50 %.2fx  p99 %.2fx%n", at,
          pct[1][0] / (pct[3][0] + pct[4][0] + pct[embed][0]), pct[1][1] / (pct[3][1] + pct[4][1] + pct[embed][1]));
      int token = parts.size() - 2;
      System.out.printf("%s  added by the API token check (lucene, token minus lucene)   p50 %+.3f ms  p99 %+.3f ms%n",
          at, pct[token][0] - pct[0][0], pct[token][1] - pct[0][1]);
      if (engines.vectors != null) {
        System.out.printf("%s  raw HNSW recall@100 against the exact scan: %.4f (mean over %d queries)%n", at,
            recall(hnswScores), queries.size());
      }
      System.out.printf("%s  atrium's vector top-100 (%s index) recall@100 against the exact scan: %.4f%n", at,
          atriumVectorIndex, recall(atriumVectorScores));
    }

    /**
     * Mean share of the exact top-100 that {@code found} (its cosine scores) returned, per query. The rows repeat
     * each SciFact chunk many times, so the exact top-100 is full of ties whose ids are arbitrary: a hit counts
     * when its similarity reaches the exact 100th best (within 1e-4), whichever copy it is.
     */
    private double recall(Map<Integer, double[]> found) {
      double recall = 0;
      for (int q = 0; q < queries.size(); q++) {
        int[] exact = exactTop[q];
        double kth = VectorMath.dot(vectors[q], flat, exact[exact.length - 1] * dim, dim);
        long reached = Arrays.stream(found.get(q)).filter(score -> score >= kth - 1e-4).count();
        recall += Math.min(1.0, (double) reached / exact.length);
      }
      return recall / queries.size();
    }
  }

  /** Adds resources of 100 chunks (source chunks in a cycle) until the index holds {@code target} chunks. */
  private static int load(BenchAtrium atrium, List<JsonObject> source, int loaded, int target, String model) {
    int resources = (target - loaded + CHUNKS_PER_RESOURCE - 1) / CHUNKS_PER_RESOURCE;
    List<String> paths = new ArrayList<>(resources);
    for (int r = 0; r < resources; r++) {
      paths.add("bench/search/" + (loaded / CHUNKS_PER_RESOURCE + r));
    }
    List<Long> ids = atrium.createResources(paths);
    final int base = loaded;
    atrium.replaceChunks(ids, r -> {
      JsonArray chunks = new JsonArray();
      int from = base + r * CHUNKS_PER_RESOURCE;
      for (int g = from; g < Math.min(target, from + CHUNKS_PER_RESOURCE); g++) {
        JsonObject chunk = source.get(g % source.size()).copy();
        chunks.add(chunk.put("index", g - from));
      }
      return chunks;
    }, model, 2);
    return target;
  }

  private static float[][] embed(BenchAtrium atrium, List<String> texts) {
    float[][] vectors = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      vectors[i] = Vectors.fromBase64(atrium.request(Addresses.EMBED_QUERY, new JsonObject().put("text", texts.get(i)))
          .getString("vector"));
    }
    return vectors;
  }

  private static float[] readVectors(Connection raw, int dim, int expected) throws SQLException {
    float[] flat = new float[expected * dim];
    int rows = 0;
    try (Statement st = raw.createStatement();
         ResultSet rs = st.executeQuery("SELECT vector FROM chunk_vectors ORDER BY chunk_id")) {
      while (rs.next()) {
        float[] v = Vectors.fromBytes(rs.getBytes(1));
        if (v.length != dim || rows >= expected) {
          throw new IllegalStateException("unexpected vector table: row " + rows + " has " + v.length + " dims");
        }
        System.arraycopy(v, 0, flat, rows * dim, dim);
        rows++;
      }
    }
    if (rows != expected) {
      throw new IllegalStateException("chunk_vectors holds " + rows + " rows, expected " + expected);
    }
    return flat;
  }

  /** p50 and p99 in ms (nearest rank). */
  static double[] percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new double[] {rank(sorted, 0.50) / 1e6, rank(sorted, 0.99) / 1e6};
  }

  private static long rank(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Exact top-k by dot product over one flat array (unit vectors: cosine); row numbers best first. */
  static int[] scan(float[] flat, int dim, float[] query, int k) {
    int rows = flat.length / dim;
    float[] heapScore = new float[k];
    int[] heapRow = new int[k];
    int size = 0;
    for (int row = 0, offset = 0; row < rows; row++, offset += dim) {
      float score = VectorMath.dot(query, flat, offset, dim); // the same SIMD (or scalar) kernel as atrium's index
      if (size < k) {
        heapScore[size] = score;
        heapRow[size] = row;
        siftUp(heapScore, heapRow, size++);
      } else if (score > heapScore[0]) {
        heapScore[0] = score;
        heapRow[0] = row;
        siftDown(heapScore, heapRow, size);
      }
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Float.compare(heapScore[y], heapScore[x]));
    int[] best = new int[size];
    for (int i = 0; i < size; i++) {
      best[i] = heapRow[order[i]];
    }
    return best;
  }

  private static void siftUp(float[] score, int[] row, int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (score[parent] <= score[i]) {
        return;
      }
      swap(score, row, i, parent);
      i = parent;
    }
  }

  private static void siftDown(float[] score, int[] row, int size) {
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      int smallest = i;
      if (left < size && score[left] < score[smallest]) {
        smallest = left;
      }
      if (left + 1 < size && score[left + 1] < score[smallest]) {
        smallest = left + 1;
      }
      if (smallest == i) {
        return;
      }
      swap(score, row, i, smallest);
      i = smallest;
    }
  }

  private static void swap(float[] score, int[] row, int a, int b) {
    float s = score[a];
    score[a] = score[b];
    score[b] = s;
    int r = row[a];
    row[a] = row[b];
    row[b] = r;
  }
}
