package io.atrium.bench;

import io.atrium.search.VectorMath;

import io.atrium.bus.Addresses;
import io.atrium.bus.Vectors;
import io.atrium.text.SearchText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * Search latency of atrium ({@code POST /search/hybrid} over HTTP) against its raw parts, in one JVM and one run,
 * at growing index sizes: raw FTS5 (a plain sqlite-jdbc connection on the same database file running the same
 * MATCH expression with bm25 top-100) and a raw exact scan of the same vectors (one flat float[], the Vector API dot product when available,
 * top-100). Chunk rows are SciFact's (atrium's chunks and vectors, from the quality benchmark's cache), repeated
 * with distinct ids, written through {@code atrium.store.chunks.replace}, 100 chunks per resource.
 *
 * <p>Options: --sizes 10000,100000  --queries 300  --warmup 50
 */
public final class SearchBench {
  private static final int RAW_TOP = 100;
  private static final int CHUNKS_PER_RESOURCE = 100;

  public static void main(String[] args) throws Exception {
    Map<String, String> options = QualityBench.options(args);
    int[] sizes = Arrays.stream(options.getOrDefault("sizes", "10000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
    int queryCount = Integer.parseInt(options.getOrDefault("queries", "300"));
    int warmupCount = Integer.parseInt(options.getOrDefault("warmup", "50"));

    Path dir = BenchData.retrieval("scifact");
    Path corpusFile = dir.resolve("corpus.jsonl");
    List<BenchData.Doc> docs = BenchData.corpus(corpusFile);
    Map<String, String> queryText = BenchData.queries(dir.resolve("queries.jsonl"));
    // the judged (train) queries: the first N are measured, the next ones warm up
    List<String> judged = BenchData.qrels(dir.resolve("qrels/train.tsv")).keySet().stream()
        .filter(queryText::containsKey).map(queryText::get).toList();
    List<String> measured = judged.subList(0, Math.min(queryCount, judged.size()));
    List<String> warmup = judged.subList(measured.size(), Math.min(judged.size(), measured.size() + warmupCount));

    try (BenchAtrium atrium = BenchAtrium.start(Map.of())) {
      ChunkCache.Entry entry = ChunkCache.obtain(atrium, "scifact", corpusFile, docs);
      List<JsonObject> source = new ArrayList<>(entry.chunkCount());
      entry.chunks().forEach(chunks -> chunks.forEach(c -> source.add((JsonObject) c)));
      int dim = entry.dimension();

      System.out.println("# atrium search latency — " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
          + " cores, Java " + Runtime.version().feature() + ", model " + entry.model() + " (" + dim + " dims)");
      System.out.println("# rows: SciFact's " + source.size() + " atrium chunks (" + docs.size() + " docs) repeated with"
          + " distinct ids, " + CHUNKS_PER_RESOURCE + " chunks per resource, written via atrium.store.chunks.replace"
          + (entry.fromCache() ? " (vectors from cache)" : ""));
      System.out.println("# queries: " + measured.size() + " SciFact queries (train qrels), sequential, one client, after "
          + warmup.size() + " other warm-up queries; the parts interleaved per query, order rotated");
      System.out.println("# atrium  : POST /search/hybrid {\"query\"} over loopback HTTP (mode hybrid, fusion rrf, top_k 10,"
          + " 100 candidates per engine; includes embedding the query)");
      System.out.println("# raw FTS : sqlite-jdbc on the same file: SELECT rowid FROM context_chunks_fts WHERE"
          + " context_chunks_fts MATCH <atrium's own MATCH expression> ORDER BY bm25(context_chunks_fts) LIMIT 100");
      System.out.println("# raw scan: the same vectors in one flat float[], " + (VectorMath.SIMD ? "Vector API" : "scalar") + " dot products, top-100, one thread;"
          + " query vectors computed beforehand by atrium.embed.query");

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
        QualityBench.sleep(2000); // the search verticle reloads each replaced resource's vectors asynchronously
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + atrium.databaseFile())) {
          try (Statement st = raw.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
          }
          float[] flat = readVectors(raw, dim, size);
          System.out.println();
          System.out.printf("%d chunks: loaded %d more chunks via atrium.store.chunks.replace in %.1f s"
              + " (%.0f chunks/s; %.1f s in all so far)%n", size, added, seconds, added / seconds, loadTotal);
          measure(atrium, raw, flat, dim, size, warmup, warmupVectors, false);
          measure(atrium, raw, flat, dim, size, measured, measuredVectors, true);
          System.out.println(BenchData.loadLine("the end of the " + size + "-chunk round"));
        }
      }
    }
    System.out.println(BenchData.loadLine("end"));
    System.exit(0);
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

  private static void measure(BenchAtrium atrium, Connection raw, float[] flat, int dim, int size, List<String> queries,
      float[][] vectors, boolean report) throws SQLException {
    long[] atriumNs = new long[queries.size()];
    long[] ftsNs = new long[queries.size()];
    long[] scanNs = new long[queries.size()];
    long[] embedNs = new long[queries.size()];
    long ftsRows = 0;
    long atriumResults = 0;
    int[] sink = new int[1];
    try (PreparedStatement fts = raw.prepareStatement("SELECT rowid FROM context_chunks_fts WHERE context_chunks_fts"
        + " MATCH ? ORDER BY bm25(context_chunks_fts) LIMIT " + RAW_TOP)) {
      for (int i = 0; i < queries.size(); i++) {
        String query = queries.get(i);
        String match = SearchText.ftsQuery(SearchText.queryTerms(query));
        for (int step = 0; step < 4; step++) {
          switch ((i + step) % 4) {
            case 0 -> {
              long t0 = System.nanoTime();
              JsonObject reply = atrium.search(new JsonObject().put("query", query));
              atriumNs[i] = System.nanoTime() - t0;
              if (reply == null) {
                throw new IllegalStateException("atrium refused query " + query);
              }
              atriumResults += reply.getJsonArray("results").size();
            }
            case 1 -> {
              long t0 = System.nanoTime();
              fts.setString(1, match);
              try (ResultSet rs = fts.executeQuery()) {
                while (rs.next()) {
                  sink[0] += (int) rs.getLong(1);
                  ftsRows++;
                }
              }
              ftsNs[i] = System.nanoTime() - t0;
            }
            case 2 -> {
              long t0 = System.nanoTime();
              sink[0] += scan(flat, dim, vectors[i], RAW_TOP)[0];
              scanNs[i] = System.nanoTime() - t0;
            }
            default -> {
              long t0 = System.nanoTime();
              atrium.request(Addresses.EMBED_QUERY, new JsonObject().put("text", query));
              embedNs[i] = System.nanoTime() - t0;
            }
          }
        }
      }
    }
    if (!report) {
      return;
    }
    double[] a = percentiles(atriumNs);
    double[] f = percentiles(ftsNs);
    double[] s = percentiles(scanNs);
    double[] e = percentiles(embedNs);
    String at = String.format("%,d chunks", size);
    System.out.printf("%s  atrium POST /search/hybrid   p50 %7.2f ms  p99 %7.2f ms  (mean %.1f results)%n", at, a[0], a[1],
        (double) atriumResults / queries.size());
    System.out.printf("%s  raw FTS5 bm25 top-100        p50 %7.2f ms  p99 %7.2f ms  (mean %.1f rows)%n", at, f[0], f[1],
        (double) ftsRows / queries.size());
    System.out.printf("%s  raw vector scan top-100      p50 %7.2f ms  p99 %7.2f ms%n", at, s[0], s[1]);
    System.out.printf("%s  ratio atrium / (raw FTS + raw scan)   p50 %.2fx  p99 %.2fx  (goal <= 1.5x)%n", at,
        a[0] / (f[0] + s[0]), a[1] / (f[1] + s[1]));
    System.out.printf("%s  (for reference) atrium.embed.query over the bus  p50 %7.2f ms  p99 %7.2f ms;"
        + " ratio atrium / (raw FTS + raw scan + query embed)  p50 %.2fx  p99 %.2fx%n", at, e[0], e[1],
        a[0] / (f[0] + s[0] + e[0]), a[1] / (f[1] + s[1] + e[1]));
    if (sink[0] == 42) {
      System.out.println();
    }
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
