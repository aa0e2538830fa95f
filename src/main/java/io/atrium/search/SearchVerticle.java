package io.atrium.search;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.bus.Vectors;
import io.atrium.storage.ChunkSource;
import io.atrium.text.Highlighter;
import io.atrium.text.SearchText;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hybrid search ({@link Addresses#SEARCH_HYBRID}): a full-text engine and a vector index run side by side and are
 * fused. Full text comes from Lucene (the default; a derived index it keeps in step with SQLite) or SQLite FTS5;
 * vectors from the exact in-memory scan, or from Lucene's HNSW graph once there are more than
 * {@code search.exact_vector_limit} of them (decided at start, so only one copy is ever held). Both follow
 * {@link Addresses#EVENTS_INDEX_CHANGED}. If the embedder cannot answer, results come from full-text alone and the
 * reply says {@code "degraded": ["vector"]}; while Lucene is rebuilt, FTS5 answers. Everything it reads from the
 * store comes through a {@link ChunkSource}.
 */
public final class SearchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SearchVerticle.class);
  private static final long EMBED_TIMEOUT_MS = 10_000;
  /** Under the HTTP layer's 30 s, so a slow judge degrades the answer instead of failing it. */
  private static final long RERANK_TIMEOUT_MS = 25_000;

  private final Function<Vertx, ChunkSource> openChunks;
  private ChunkSource chunks;
  /** Null when vectors are searched in Lucene's HNSW graph. */
  private ExactVectors exactVectors;
  private String model;
  private String modelLanguage;
  private SearchSettings settings;
  private Fts5Engine fts5;
  /** Null when neither the configured engine nor the vector index needs Lucene. */
  private LuceneEngine lucene;
  private boolean approximateVectors;

  /** @param openChunks opens the store's chunk reads on this verticle's Vert.x (its pool bound to its context) */
  public SearchVerticle(Function<Vertx, ChunkSource> openChunks) {
    this.openChunks = openChunks;
  }

  @Override
  public Future<?> start() {
    settings = SearchSettings.fromJson(config().getJsonObject("search", new JsonObject()));
    chunks = openChunks.apply(vertx);
    fts5 = new Fts5Engine(chunks);
    return Future.all(Bus.request(vertx, Addresses.EMBED_INFO, new JsonObject(), EMBED_TIMEOUT_MS), chunks.snapshot())
        .compose(both -> {
          JsonObject info = both.resultAt(0);
          ChunkSource.Snapshot snapshot = both.resultAt(1);
          model = info.getString("model");
          modelLanguage = info.getString("language", "any");
          approximateVectors = settings.approximateVectors(snapshot.chunks());
          if ("lucene".equals(settings.engine()) || approximateVectors) {
            lucene = new LuceneEngine(vertx, chunks, Path.of(config().getString("index_dir")),
                approximateVectors ? model : null, settings.commitIntervalMs());
            return lucene.start();
          }
          return Future.succeededFuture();
        })
        .compose(v -> {
          if (approximateVectors) {
            LOG.info("vectors are searched in lucene's HNSW graph (more than {} chunks)", settings.exactVectorLimit());
            return Future.succeededFuture();
          }
          exactVectors = new ExactVectors(vertx, chunks, model);
          return exactVectors.load()
              .onSuccess(count -> LOG.info("vector index loaded: {} vectors of {}", count, model)).mapEmpty();
        })
        .compose(v -> Future.all(
            Bus.serve(vertx, Addresses.SEARCH_HYBRID, this::search),
            Bus.serve(vertx, Addresses.SEARCH_CHUNKS, this::chunks),
            Bus.serve(vertx, Addresses.SEARCH_STATUS, body -> Future.succeededFuture(status())),
            vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_INDEX_CHANGED, msg -> follow(msg.body())).completion()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> luceneStopped = lucene == null ? Future.succeededFuture() : lucene.stop();
    return luceneStopped.eventually(() -> chunks.close());
  }

  private void follow(JsonObject change) {
    if (lucene != null) {
      lucene.follow(change);
    }
    if (exactVectors != null) {
      exactVectors.follow(change);
    }
  }


  private Future<JsonObject> search(JsonObject body) {
    SearchRequest request = SearchRequest.fromJson(body, settings);
    FullTextEngine engine = fullTextEngine(request);
    int candidates = Math.max(settings.candidates(), request.topK());
    Future<Set<Long>> allowed = chunks.allowedResources(request.filters());
    Future<List<Fusion.Scored>> fullText = request.usesFullText()
        ? engine.search(request, allowed, candidates)
        : Future.succeededFuture(List.of());
    Future<List<Fusion.Scored>> vector = !request.usesVectors() ? Future.succeededFuture(List.of())
        : Bus.request(vertx, Addresses.EMBED_QUERY, new JsonObject().put("text", request.query()), EMBED_TIMEOUT_MS)
            .compose(reply -> nearest(Vectors.fromBase64(reply.getString("vector")), candidates, allowed));
    return Future.join(fullText, vector).otherwiseEmpty()
        .compose(v -> {
          if (fullText.failed()) {
            return Future.failedFuture(fullText.cause());
          }
          List<Fusion.Scored> vectorHits = vector.succeeded() ? vector.result() : List.of();
          if (vector.failed()) {
            if (!request.usesFullText()) {
              return Future.failedFuture(ErrorCode.UNAVAILABLE.exception(
                  "vector search is unavailable: " + vector.cause().getMessage()));
            }
            LOG.warn("vector half of search unavailable: {}", vector.cause().getMessage());
          }
          List<Fusion.Fused> fused = switch (request.fusion()) {
            case "dedupe" -> Fusion.dedupe(Fusion.ids(fullText.result()), Fusion.ids(vectorHits), request.topK());
            case "weighted" -> Fusion.weighted(fullText.result(), vectorHits, weightedVectorWeight(request), request.topK());
            default -> Fusion.reciprocalRank(Fusion.ids(fullText.result()), Fusion.ids(vectorHits), settings.rrfK(),
                request.topK(), vectorWeight(request));
          };
          Set<Long> ids = new HashSet<>();
          fused.forEach(f -> ids.add(f.chunkId()));
          return chunks.chunks(ids).map(details -> render(fused, details, request, vector.failed())
              .put("engines", new JsonObject().put("full_text", engine.name())
                  .put("vector", approximateVectors ? "hnsw" : "exact")));
        })
        .compose(reply -> request.rerank() == null ? Future.succeededFuture(reply) : rerank(request, reply));
  }

  /**
   * The engine the request names, else the configured one; a configured Lucene that is still being rebuilt hands
   * over to FTS5 (same answers, slower), while a request that names Lucene then gets a 503.
   */
  private FullTextEngine fullTextEngine(SearchRequest request) {
    if ("fts5".equals(request.engine())) {
      return fts5;
    }
    if ("lucene".equals(request.engine())) {
      if (lucene == null) {
        throw ErrorCode.INVALID_REQUEST.exception("the lucene engine is not enabled here (search.engine: fts5)", "engine");
      }
      if (!lucene.ready()) {
        throw ErrorCode.UNAVAILABLE.exception("the lucene index is not ready: " + lucene.state(), "engine");
      }
      return lucene;
    }
    return "lucene".equals(settings.engine()) && lucene.ready() ? lucene : fts5;
  }

  /** What /health reports: the engine answering full-text searches now, Lucene's state, the vector index. */
  private JsonObject status() {
    JsonObject status = new JsonObject()
        .put("full_text", "lucene".equals(settings.engine()) && lucene.ready() ? "lucene" : "fts5")
        .put("vector_index", approximateVectors ? "hnsw" : "exact");
    if (lucene != null) {
      status.put("lucene", new JsonObject().put("ready", lucene.ready()).put("state", lucene.state()));
    }
    return status;
  }

  /** The nearest chunks: by exact scan, or from the HNSW graph above the exact limit. */
  private Future<List<Fusion.Scored>> nearest(float[] query, int candidates, Future<Set<Long>> allowed) {
    if (approximateVectors) {
      return lucene.nearest(query, candidates, allowed);
    }
    return exactVectors.nearest(query, candidates, allowed);
  }

  /** The results reordered by the agent's judge; if it fails, the fused order stays and the reply says so. */
  private Future<JsonObject> rerank(SearchRequest request, JsonObject reply) {
    JsonArray results = reply.getJsonArray("results");
    if (results.isEmpty()) {
      return Future.succeededFuture(reply);
    }
    JsonObject ask = request.rerank().copy().put("query", request.query()).put("results", results);
    return Bus.request(vertx, Addresses.AGENT_RERANK, ask, RERANK_TIMEOUT_MS)
        .map(reranked -> reply.put("results", reranked.getJsonArray("results")).put("reranked", true))
        .recover(e -> {
          LOG.warn("rerank unavailable, fused order kept: {}", e.getMessage());
          JsonArray degraded = reply.getJsonArray("degraded", new JsonArray());
          return Future.succeededFuture(reply.put("degraded", degraded.add("rerank")));
        });
  }

  /** {resource_id, chunk_ids?, limit?} → that resource's chunk texts (the agent reads what it tags). */
  private Future<JsonObject> chunks(JsonObject body) {
    long resourceId = Fields.positiveLong(body, "resource_id");
    List<Long> chunkIds = new ArrayList<>();
    for (Object id : body.getJsonArray("chunk_ids", new JsonArray())) {
      if (!(id instanceof Integer || id instanceof Long)) {
        throw ErrorCode.INVALID_REQUEST.exception("chunk_ids must be integers", "chunk_ids");
      }
      chunkIds.add(((Number) id).longValue());
    }
    Long limit = Fields.optionalPositiveLong(body, "limit");
    return chunks.resourceChunks(resourceId, chunkIds, limit == null ? 20 : (int) Math.min(200, limit))
        .map(found -> found.orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
            "resource " + resourceId + " does not exist", "resource_id")))
        .map(found -> {
          JsonArray list = new JsonArray();
          Set<Long> listed = new HashSet<>();
          for (ChunkSource.Chunk chunk : found.chunks()) {
            listed.add(chunk.chunkId());
            JsonObject json = new JsonObject().put("chunk_id", chunk.chunkId()).put("text", chunk.text());
            if (chunk.page() != null) {
              json.put("page", chunk.page());
            }
            list.add(json);
          }
          List<Long> missing = chunkIds.stream().filter(id -> !listed.contains(id)).toList();
          if (!missing.isEmpty()) {
            throw ErrorCode.NOT_FOUND.exception(
                "chunks " + missing + " are not chunks of resource " + resourceId, "chunk_id_list");
          }
          return new JsonObject().put("resource_id", resourceId).put("file_path", found.filePath()).put("chunks", list);
        });
  }

  /**
   * The vector share of a weighted fusion: the request's own, else the configured one for the question's script
   * (a Chinese question with an English model gets the smaller foreign-script share).
   */
  private double weightedVectorWeight(SearchRequest request) {
    if (request.vectorWeight() != null) {
      return request.vectorWeight();
    }
    String script = SearchText.script(request.query());
    boolean foreign = !"any".equals(modelLanguage) && !modelLanguage.equals(script);
    return foreign ? settings.weightedForeignVectorWeight() : settings.weightedVectorWeight();
  }

  /** Full weight unless the question's script is one the embedding model was not trained on. */
  private double vectorWeight(SearchRequest request) {
    String script = SearchText.script(request.query());
    boolean foreign = !"any".equals(modelLanguage) && !modelLanguage.equals(script);
    return foreign ? settings.foreignScriptVectorWeight() : 1.0;
  }

  private static JsonObject render(List<Fusion.Fused> fused, Map<Long, ChunkSource.Chunk> details, SearchRequest request,
      boolean vectorDegraded) {
    JsonArray results = new JsonArray();
    for (Fusion.Fused hit : fused) {
      ChunkSource.Chunk chunk = details.get(hit.chunkId());
      if (chunk == null) {
        continue; // deleted between ranking and reading
      }
      JsonObject source = new JsonObject().put("file_path", chunk.filePath());
      if (chunk.page() != null) {
        source.put("page", chunk.page());
      }
      JsonObject match = new JsonObject();
      if (hit.ftsRank() != null) {
        match.put("fts_rank", hit.ftsRank());
      }
      if (hit.vectorRank() != null) {
        match.put("vector_rank", hit.vectorRank());
      }
      if (request.explain()) {
        match.put("fusion", request.fusion());
        if (hit.ftsScore() != null) {
          match.put("fts_score", hit.ftsScore());
        }
        if (hit.vectorScore() != null) {
          match.put("vector_score", hit.vectorScore());
        }
      }
      results.add(new JsonObject()
          .put("resource_id", chunk.resourceId())
          .put("chunk_id", hit.chunkId())
          .put("score", hit.score())
          .put("text", chunk.text())
          .put("highlight", Highlighter.highlight(chunk.text(), request.terms()))
          .put("source", source)
          .put("match", match));
    }
    JsonObject reply = new JsonObject().put("results", results);
    if (vectorDegraded) {
      reply.put("degraded", new JsonArray().add("vector"));
    }
    return reply;
  }
}
