package io.atrium.search;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.Vectors;
import io.atrium.storage.ChunkSource;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hybrid search ({@link Addresses#SEARCH_HYBRID}), a resource's chunk texts ({@link Addresses#SEARCH_CHUNKS}) and
 * the engines' state ({@link Addresses#SEARCH_STATUS}). Full text comes from Lucene (the default; a derived index it
 * keeps in step with the store) or the store's FTS5; vectors from the exact in-memory scan, or from Lucene's HNSW
 * graph once there are more than {@code search.exact_vector_limit} of them (decided at start, so only one copy is
 * ever held). Both follow {@link Addresses#EVENTS_INDEX_CHANGED}. This class wires and starts them; each request
 * runs a {@link SearchPlan}. Everything it reads from the store comes through a {@link ChunkSource}.
 */
public final class SearchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SearchVerticle.class);
  private static final long EMBED_TIMEOUT_MS = 10_000;
  /** Under the HTTP layer's 30 s, so a slow judge degrades the answer instead of failing it. */
  private static final long RERANK_TIMEOUT_MS = 25_000;

  private final Function<Vertx, ChunkSource> openChunks;
  private ChunkSource chunks;
  private SearchSettings settings;
  /** Null when neither the configured engine nor the vector index needs Lucene. */
  private LuceneEngine lucene;
  /** Null when vectors are searched in Lucene's HNSW graph. */
  private ExactVectors exactVectors;
  private SearchPlan plan;

  /** @param openChunks opens the store's chunk reads on this verticle's Vert.x (its pool bound to its context) */
  public SearchVerticle(Function<Vertx, ChunkSource> openChunks) {
    this.openChunks = openChunks;
  }

  @Override
  public Future<?> start() {
    settings = SearchSettings.fromJson(config().getJsonObject("search"));
    chunks = openChunks.apply(vertx);
    return Future.all(Bus.request(vertx, Addresses.EMBED_INFO, new JsonObject(), EMBED_TIMEOUT_MS), chunks.snapshot())
        .compose(both -> {
          JsonObject embedder = both.resultAt(0);
          String model = embedder.getString("model");
          boolean approximate = settings.approximateVectors(both.<ChunkSource.Snapshot>resultAt(1).chunks());
          return startLucene(model, approximate)
              .compose(v -> approximate ? Future.succeededFuture(lucene.hnsw()) : loadExactVectors(model))
              .map(vectors -> new SearchPlan(settings, embedder.getString("language", "any"), chunks, lucene, vectors,
                  this::embed, ask -> Bus.request(vertx, Addresses.AGENT_RERANK, ask, RERANK_TIMEOUT_MS)));
        })
        .compose(ready -> {
          plan = ready;
          return Future.all(
              Bus.serve(vertx, Addresses.SEARCH_HYBRID, body -> plan.run(SearchRequest.fromJson(body, settings))),
              Bus.serve(vertx, Addresses.SEARCH_CHUNKS, new ResourceChunkTexts(chunks)::answer),
              Bus.serve(vertx, Addresses.SEARCH_STATUS, body -> Future.succeededFuture(plan.status())),
              vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_INDEX_CHANGED, msg -> follow(msg.body())).completion());
        });
  }

  /** Lucene for the configured full-text engine, the HNSW graph ({@code approximate}), or both; else none. */
  private Future<Void> startLucene(String model, boolean approximate) {
    if (!"lucene".equals(settings.engine()) && !approximate) {
      return Future.succeededFuture();
    }
    lucene = new LuceneEngine(vertx, chunks, Path.of(config().getString("index_dir")), approximate ? model : null,
        settings.commitIntervalMs());
    if (approximate) {
      LOG.info("vectors are searched in lucene's HNSW graph (more than {} chunks)", settings.exactVectorLimit());
    }
    return lucene.start();
  }

  private Future<VectorSearch> loadExactVectors(String model) {
    exactVectors = new ExactVectors(vertx, chunks, model);
    return exactVectors.load()
        .onSuccess(count -> LOG.info("vector index loaded: {} vectors of {}", count, model))
        .map(exactVectors);
  }

  private Future<float[]> embed(String query) {
    return Bus.request(vertx, Addresses.EMBED_QUERY, new JsonObject().put("text", query), EMBED_TIMEOUT_MS)
        .map(reply -> Vectors.fromBase64(reply.getString("vector")));
  }

  private void follow(JsonObject change) {
    if (lucene != null) {
      lucene.follow(change);
    }
    if (exactVectors != null) {
      exactVectors.follow(change);
    }
  }

  @Override
  public Future<?> stop() {
    Future<Void> luceneStopped = lucene == null ? Future.succeededFuture() : lucene.stop();
    return luceneStopped.eventually(() -> chunks.close());
  }
}
