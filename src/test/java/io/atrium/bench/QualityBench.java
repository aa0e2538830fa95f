package io.atrium.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval quality of atrium itself: each corpus document becomes one resource whose chunks atrium's own chunker
 * and embedder produce ({@code atrium.embed.document}) and its store writes ({@code atrium.store.chunks.replace});
 * queries go over HTTP {@code POST /search/hybrid} with mode fts / vector / hybrid (rrf and dedupe fusion).
 * A document's rank is its best chunk's (results deduplicated to documents in order).
 *
 * <p>SciFact: nDCG@10 over the TRAIN qrels queries. CMRC 2018 (zh): recall@5 (one source passage per question).
 * Both in-process models, each on both sets.
 *
 * <p>Options: --models m1,m2  --sets scifact,cmrc  --configs fts,vector,rrf,dedupe,weighted  --alphas 0.5,0.6 (weighted
 * fusion at those vector weights)  --engines lucene,fts5 (the full-text engines to compare)  --max-queries N  --max-docs N
 * (the last two for development subsets only).
 */
public final class QualityBench {
  static final List<String> ALL_MODELS = List.of("bge-small-en-v15-q", "bge-small-zh-v15-q");
  static final int TOP_K = 100; // chunks asked for; ≤ search.candidates so each engine's candidate depth stays 100

  record Config(String id, String label, String mode, String fusion, Double vectorWeight) {
    Config(String id, String label, String mode, String fusion) {
      this(id, label, mode, fusion, null);
    }

    JsonObject apply(JsonObject request) {
      request.put("mode", mode);
      if (fusion != null) {
        request.put("fusion", fusion);
      }
      if (vectorWeight != null) {
        request.put("weights", new JsonObject().put("vector", vectorWeight));
      }
      return request;
    }
  }

  static final List<Config> CONFIGS = List.of(
      new Config("fts", "fts", "fts", null),
      new Config("vector", "vector", "vector", null),
      new Config("rrf", "hybrid rrf", "hybrid", "rrf"),
      new Config("dedupe", "hybrid dedupe", "hybrid", "dedupe"),
      new Config("weighted", "hybrid weighted", "hybrid", "weighted"));

  /** A retrieval set: corpus, the judged queries, and the metric. */
  record RetrievalSet(String key, String dir, String qrelsFile, String metric, int cutoff) {
  }

  static final Map<String, RetrievalSet> SETS = Map.of(
      "scifact", new RetrievalSet("scifact", "scifact", "qrels/train.tsv", "nDCG@10", 10),
      "cmrc", new RetrievalSet("cmrc2018-zh", "cmrc2018-zh", "qrels.test.tsv", "recall@5", 5));

  public static void main(String[] args) {
    Map<String, String> options = options(args);
    List<String> models = Arrays.asList(options.getOrDefault("models", String.join(",", ALL_MODELS)).split(","));
    List<String> sets = Arrays.asList(options.getOrDefault("sets", "scifact,cmrc").split(","));
    int maxQueries = Integer.parseInt(options.getOrDefault("max-queries", "0"));
    int maxDocs = Integer.parseInt(options.getOrDefault("max-docs", "0"));
    List<String> configIds = Arrays.asList(options.getOrDefault("configs", "fts,vector,rrf,dedupe").split(","));
    List<Config> configs = new ArrayList<>(CONFIGS.stream().filter(c -> configIds.contains(c.id())).toList());
    List<String> engines = Arrays.asList(options.getOrDefault("engines", "lucene,fts5").split(","));
    // --alphas 0.5,0.6: weighted fusion at those vector weights (the tuning grid; tune on TRAIN qrels only)
    for (String alpha : options.getOrDefault("alphas", "").split(",")) {
      if (!alpha.isBlank()) {
        configs.add(new Config("weighted@" + alpha, "weighted v=" + alpha, "hybrid", "weighted", Double.parseDouble(alpha)));
      }
    }

    System.out.println("# atrium retrieval quality — " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version().feature());
    System.out.println("# atrium in-process (AtriumHarness), documents loaded via atrium.embed.document (chunk 300/40) +"
        + " atrium.store.chunks.replace, queried over HTTP POST /search/hybrid, top_k " + TOP_K
        + " chunks deduplicated to documents (best chunk)");
    System.out.println(BenchData.loadLine("start"));
    if (maxQueries > 0 || maxDocs > 0) {
      System.out.println("# SUBSET RUN (--max-queries " + maxQueries + " --max-docs " + maxDocs + "): figures are not comparable");
    }

    List<String> summary = new ArrayList<>();
    for (String model : models) {
      for (String setName : sets) {
        RetrievalSet set = SETS.get(setName);
        if (set == null) {
          throw new IllegalArgumentException("unknown set " + setName + "; known: " + SETS.keySet());
        }
        summary.addAll(runSet(model, set, configs, engines, maxQueries, maxDocs));
      }
    }
    System.out.println();
    System.out.println("# summary");
    summary.forEach(System.out::println);
    System.out.println(BenchData.loadLine("end"));
  }

  private static List<String> runSet(String model, RetrievalSet set, List<Config> configs, List<String> engines,
      int maxQueries, int maxDocs) {
    Path dir = BenchData.retrieval(set.dir());
    Path corpusFile = dir.resolve("corpus.jsonl");
    List<BenchData.Doc> docs = BenchData.corpus(corpusFile);
    Map<String, String> queryText = BenchData.queries(dir.resolve("queries.jsonl"));
    Map<String, Map<String, Integer>> qrels = BenchData.qrels(dir.resolve(set.qrelsFile()));
    List<String> queryIds = new ArrayList<>(qrels.keySet().stream().filter(queryText::containsKey).toList());
    int judgedPairs = qrels.values().stream().mapToInt(Map::size).sum();
    if (maxQueries > 0 && queryIds.size() > maxQueries) {
      queryIds = queryIds.subList(0, maxQueries);
    }
    if (maxDocs > 0 && docs.size() > maxDocs) {
      Set<String> keep = new LinkedHashSet<>();
      queryIds.forEach(q -> keep.addAll(qrels.get(q).keySet()));
      List<BenchData.Doc> subset = new ArrayList<>();
      for (BenchData.Doc doc : docs) {
        if (keep.contains(doc.id()) || subset.size() < maxDocs) {
          subset.add(doc);
        }
      }
      docs = subset;
    }

    System.out.println();
    System.out.printf("## %s on %s: %d docs, %d queries (%d judged pairs in %s)%n", model, set.key(), docs.size(),
        queryIds.size(), judgedPairs, set.qrelsFile());
    List<String> lines = new ArrayList<>();
    try (BenchAtrium atrium = BenchAtrium.start(Map.of("ATRIUM_EMBED_MODEL", model))) {
      ChunkCache.Entry entry = ChunkCache.obtain(atrium, set.key(), corpusFile, docs);
      int chunkCount = entry.chunkCount();
      int[] over;
      try (ModelTokens tokens = new ModelTokens(model)) {
        over = tokens.overWindow(entry.chunks());
      }
      System.out.printf("%s %s: %d docs -> %d chunks, %d dims; %d chunks over %d model tokens (cut by the embedder),"
              + " longest %d tokens%n", model, set.key(), docs.size(), chunkCount, entry.dimension(), over[0],
          ModelTokens.WINDOW, over[1]);
      if (entry.fromCache()) {
        System.out.printf("%s %s: vectors from cache %s%n", model, set.key(), ChunkCache.dir().resolve(model));
      } else {
        System.out.printf("%s %s: embedded through atrium.embed.document in %.1f s (%.1f docs/s, %.1f chunks/s)%n", model,
            set.key(), entry.embedSeconds(), docs.size() / entry.embedSeconds(), chunkCount / entry.embedSeconds());
      }

      List<String> paths = docs.stream().map(d -> "bench/" + set.key() + "/" + d.id()).toList();
      long loadStart = System.nanoTime();
      List<Long> resourceIds = atrium.createResources(paths);
      atrium.replaceChunks(resourceIds, i -> entry.chunks().get(i), entry.model(), 4);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      System.out.printf("%s %s: %d resources / %d chunks written via atrium.store.chunks.replace in %.1f s%n", model,
          set.key(), resourceIds.size(), chunkCount, loadSeconds);
      sleep(2000); // the search verticle reloads each replaced resource's vectors asynchronously
      Map<Long, String> docOf = new LinkedHashMap<>();
      for (int i = 0; i < docs.size(); i++) {
        docOf.put(resourceIds.get(i), docs.get(i).id());
      }

      for (String engine : engines) {
        for (Config config : configs) {
          if ("vector".equals(config.mode()) && !engine.equals(engines.getFirst())) {
            continue; // the full-text engine plays no part
          }
          String label = "vector".equals(config.mode()) ? config.label() : config.label() + " [" + engine + "]";
          double sum = 0;
          int refused = 0;
          long nanos = 0;
          for (String queryId : queryIds) {
            long t0 = System.nanoTime();
            JsonObject reply = atrium.search(config.apply(new JsonObject()
                .put("query", queryText.get(queryId)).put("top_k", TOP_K).put("engine", engine)));
            nanos += System.nanoTime() - t0;
            if (reply == null) {
              refused++;
              continue; // scores 0
            }
            checkMode(config, reply);
            List<String> ranked = documents(reply.getJsonArray("results"), docOf, set.cutoff());
            Map<String, Integer> relevant = qrels.get(queryId);
            sum += set.metric().startsWith("nDCG") ? ndcg(ranked, relevant, set.cutoff()) : recall(ranked, relevant);
          }
          double value = sum / queryIds.size();
          String line = String.format("%-20s %-12s %-9s %-26s %.4f  (%d queries, %d refused, mean %.1f ms/query)", model,
              set.key(), set.metric(), label, value, queryIds.size(), refused, nanos / 1e6 / queryIds.size());
          System.out.println(line);
          lines.add(line);
        }
      }
    }
    return lines;
  }

  /** Fails loudly when atrium ignored the requested mode (an older atrium without mode answers hybrid). */
  private static void checkMode(Config config, JsonObject reply) {
    for (Object r : reply.getJsonArray("results")) {
      JsonObject match = ((JsonObject) r).getJsonObject("match", new JsonObject());
      boolean wrong = ("fts".equals(config.mode()) && match.containsKey("vector_rank"))
          || ("vector".equals(config.mode()) && match.containsKey("fts_rank"));
      if (wrong) {
        throw new IllegalStateException("atrium ignored mode=" + config.mode() + " (a result carries " + match.encode()
            + "): this atrium does not support the mode field, figures would be wrong");
      }
    }
  }

  /** Distinct documents in result order (a document ranks at its best chunk), at most {@code cutoff}. */
  static List<String> documents(JsonArray results, Map<Long, String> docOf, int cutoff) {
    Set<String> seen = new LinkedHashSet<>();
    for (Object r : results) {
      String doc = docOf.get(((JsonObject) r).getLong("resource_id"));
      if (doc != null) {
        seen.add(doc);
        if (seen.size() == cutoff) {
          break;
        }
      }
    }
    return new ArrayList<>(seen);
  }

  /** nDCG@k with linear gains (the trec_eval / BEIR definition). */
  static double ndcg(List<String> ranked, Map<String, Integer> relevant, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      dcg += relevant.getOrDefault(ranked.get(i), 0) / log2(i + 2);
    }
    List<Integer> ideal = relevant.values().stream().sorted((a, b) -> b - a).toList();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  /** Share of the relevant documents found in the ranked list. */
  static double recall(List<String> ranked, Map<String, Integer> relevant) {
    long found = ranked.stream().filter(relevant::containsKey).count();
    return relevant.isEmpty() ? 0 : (double) found / relevant.size();
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("options are --name value; got " + String.join(" ", args));
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
