package io.atrium.search;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.SearchHit;
import io.atrium.storage.ChunkSource;
import io.atrium.text.Highlighter;
import io.atrium.text.SearchText;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@code /search/hybrid} request runs: the full-text engine and the vector half side by side over the
 * resources the filters allow, their fusion, the chunk texts of the fused hits, and the judge's reranking if asked.
 * If the query cannot be embedded, results come from full text alone and the reply says {@code "degraded":
 * ["vector"]}; a failed rerank keeps the fused order and says {@code "rerank"}. No bus here: the embedder and the
 * judge come in as functions.
 */
final class SearchPlan {
  private static final Logger LOG = LoggerFactory.getLogger(SearchPlan.class);

  /** The query's vector, from the embedding model the stored vectors came from. */
  interface QueryEmbedder {
    Future<float[]> embed(String query);
  }

  /** {query, results, provider fields…} → {results} reordered by the judge. */
  interface Judge {
    Future<JsonObject> rerank(JsonObject ask);
  }

  private final SearchSettings settings;
  private final String modelLanguage;
  private final ChunkSource chunks;
  private final Fts5Engine fts5;
  /** Null when neither the configured engine nor the vector half needs Lucene. */
  private final LuceneEngine lucene;
  private final VectorSearch vectors;
  private final QueryEmbedder embedder;
  private final Judge judge;

  /** @param modelLanguage the embedding model's script: "latin", "cjk" or "any" */
  SearchPlan(SearchSettings settings, String modelLanguage, ChunkSource chunks, LuceneEngine lucene,
      VectorSearch vectors, QueryEmbedder embedder, Judge judge) {
    this.settings = settings;
    this.modelLanguage = modelLanguage;
    this.chunks = chunks;
    this.fts5 = new Fts5Engine(chunks);
    this.lucene = lucene;
    this.vectors = vectors;
    this.embedder = embedder;
    this.judge = judge;
  }

  Future<JsonObject> run(SearchRequest request) {
    FullTextEngine engine = fullTextEngine(request);
    int candidates = Math.max(settings.candidates(), request.topK());
    Future<Set<Long>> allowed = chunks.allowedResources(request.filters());
    Future<List<Fusion.Scored>> fullText = request.usesFullText()
        ? engine.search(request, allowed, candidates)
        : Future.succeededFuture(List.of());
    Future<List<Fusion.Scored>> vector = !request.usesVectors() ? Future.succeededFuture(List.of())
        : embedder.embed(request.query()).compose(query -> vectors.nearest(query, candidates, allowed));
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
          List<Fusion.Fused> fused = fuse(request, fullText.result(), vectorHits);
          Set<Long> ids = new HashSet<>();
          fused.forEach(f -> ids.add(f.chunkId()));
          return chunks.chunks(ids).map(texts -> render(fused, texts, request, vector.failed())
              .put("engines", new JsonObject().put("full_text", engine.name()).put("vector", vectors.name())));
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
  JsonObject status() {
    JsonObject status = new JsonObject()
        .put("full_text", "lucene".equals(settings.engine()) && lucene.ready() ? "lucene" : "fts5")
        .put("vector_index", vectors.name());
    if (lucene != null) {
      status.put("lucene", new JsonObject().put("ready", lucene.ready()).put("state", lucene.state()));
    }
    return status;
  }

  private List<Fusion.Fused> fuse(SearchRequest request, List<Fusion.Scored> fullText, List<Fusion.Scored> vectorHits) {
    return switch (request.fusion()) {
      case "dedupe" -> Fusion.dedupe(Fusion.ids(fullText), Fusion.ids(vectorHits), request.topK());
      case "weighted" -> Fusion.weighted(fullText, vectorHits, weightedVectorWeight(request), request.topK());
      default -> Fusion.reciprocalRank(Fusion.ids(fullText), Fusion.ids(vectorHits), settings.rrfK(),
          request.topK(), vectorWeight(request));
    };
  }

  /**
   * The vector share of a weighted fusion: the request's own, else the configured one for the question's script
   * (a Chinese question with an English model gets the smaller foreign-script share).
   */
  private double weightedVectorWeight(SearchRequest request) {
    if (request.vectorWeight() != null) {
      return request.vectorWeight();
    }
    return foreignScript(request) ? settings.weightedForeignVectorWeight() : settings.weightedVectorWeight();
  }

  /** Full weight unless the question's script is one the embedding model was not trained on. */
  private double vectorWeight(SearchRequest request) {
    return foreignScript(request) ? settings.foreignScriptVectorWeight() : 1.0;
  }

  private boolean foreignScript(SearchRequest request) {
    return !"any".equals(modelLanguage) && !modelLanguage.equals(SearchText.script(request.query()));
  }

  /** The results reordered by the judge; if it fails, the fused order stays and the reply says so. */
  private Future<JsonObject> rerank(SearchRequest request, JsonObject reply) {
    JsonArray results = reply.getJsonArray("results");
    if (results.isEmpty()) {
      return Future.succeededFuture(reply);
    }
    JsonObject ask = request.rerank().copy().put("query", request.query()).put("results", results);
    return judge.rerank(ask)
        .map(reranked -> reply.put("results", reranked.getJsonArray("results")).put("reranked", true))
        .recover(e -> {
          LOG.warn("rerank unavailable, fused order kept: {}", e.getMessage());
          JsonArray degraded = reply.getJsonArray("degraded", new JsonArray());
          return Future.succeededFuture(reply.put("degraded", degraded.add("rerank")));
        });
  }

  private static JsonObject render(List<Fusion.Fused> fused, Map<Long, ChunkSource.Chunk> texts, SearchRequest request,
      boolean vectorDegraded) {
    JsonArray results = new JsonArray();
    for (Fusion.Fused hit : fused) {
      ChunkSource.Chunk chunk = texts.get(hit.chunkId());
      if (chunk == null) {
        continue; // deleted between ranking and reading
      }
      SearchHit.Match match = request.explain()
          ? new SearchHit.Match(hit.ftsRank(), hit.vectorRank(), request.fusion(), hit.ftsScore(), hit.vectorScore())
          : new SearchHit.Match(hit.ftsRank(), hit.vectorRank(), null, null, null);
      ChunkSource.Conversation origin = chunk.conversation();
      results.add(new SearchHit(chunk.resourceId(), hit.chunkId(), hit.score(), chunk.text(),
          Highlighter.highlight(chunk.text(), request.terms()), chunk.filePath(), chunk.page(), match,
          origin == null ? null : new SearchHit.Conversation(origin.conversationId(), origin.workerName(),
              origin.messageUuid())).toJson());
    }
    JsonObject reply = new JsonObject().put("results", results);
    if (vectorDegraded) {
      reply.put("degraded", new JsonArray().add("vector"));
    }
    return reply;
  }
}
