package io.atrium.search;

import io.atrium.bus.Addresses;
import io.atrium.bus.Vectors;
import io.atrium.storage.ChunkSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact vector scan: every vector of one model in memory ({@link VectorIndex}), loaded from the store at start
 * and kept current by {@link Addresses#EVENTS_INDEX_CHANGED}. Decoding and scanning run on the verticle's ordered
 * worker queue, never on its event loop.
 */
final class ExactVectors implements VectorSearch {
  private static final Logger LOG = LoggerFactory.getLogger(ExactVectors.class);
  /** Whole resources a page, so each resource's segment is built from one page. */
  private static final int RESOURCES_A_PAGE = 64;

  private final Vertx vertx;
  private final ChunkSource chunks;
  private final String model;
  private final VectorIndex index = new VectorIndex();
  /** Changes seen per resource: a vector load applies only if no later change of its resource arrived meanwhile. */
  private final Map<Long, Long> generations = new ConcurrentHashMap<>();

  ExactVectors(Vertx vertx, ChunkSource chunks, String model) {
    this.vertx = vertx;
    this.chunks = chunks;
    this.model = model;
  }

  /** Loads every vector of the model, a page at a time (never the whole table in one result); answers how many. */
  Future<Integer> load() {
    return loadPage(0L, 0, new SegmentBuilder(index));
  }

  private Future<Integer> loadPage(long afterResource, int loaded, SegmentBuilder builder) {
    return chunks.vectorPage(model, afterResource, RESOURCES_A_PAGE).compose(page -> {
      if (page.isEmpty()) {
        return Future.succeededFuture(loaded);
      }
      // decoding a page (up to 64 whole resources, books included) is CPU work: not on the event loop
      return vertx.executeBlocking(() -> {
        page.forEach(builder::add);
        builder.flush();
        return page.getLast().resourceId();
      }).compose(last -> loadPage(last, loaded + page.size(), builder));
    });
  }

  /** Follows one {@link Addresses#EVENTS_INDEX_CHANGED} announcement: drops or reloads that resource's vectors. */
  void follow(JsonObject change) {
    long resourceId = change.getLong("resource_id");
    long generation = generations.merge(resourceId, 1L, Long::sum);
    if ("removed".equals(change.getString("action"))) {
      // through the same ordered worker queue as the loads, so a load already decoding is removed after it
      vertx.executeBlocking(() -> {
        index.remove(resourceId);
        return null;
      });
      return;
    }
    reload(resourceId, () -> generations.get(resourceId) == generation)
        .onFailure(e -> LOG.error("cannot reload vectors of resource {}: {}", resourceId, e.getMessage()));
  }

  private Future<Integer> reload(long resourceId, BooleanSupplier current) {
    return chunks.vectorsOf(model, resourceId).compose(vectors -> vertx.executeBlocking(() -> {
      if (!current.getAsBoolean()) {
        return 0; // a later change of this resource (a delete, a newer replace) has overtaken this load
      }
      SegmentBuilder builder = new SegmentBuilder(index);
      vectors.forEach(builder::add);
      builder.flush();
      if (vectors.isEmpty()) {
        index.remove(resourceId);
      }
      return vectors.size();
    }));
  }

  @Override
  public String name() {
    return "exact";
  }

  @Override
  public Future<List<Fusion.Scored>> nearest(float[] query, int k, Future<Set<Long>> allowedResources) {
    return allowedResources.compose(resources -> vertx.executeBlocking(() -> index.search(query, k, resources), false))
        .map(hits -> hits.stream().map(hit -> new Fusion.Scored(hit.chunkId(), hit.score())).toList());
  }

  /** Groups consecutive vectors of one resource into a flat segment. */
  private static final class SegmentBuilder {
    private final VectorIndex index;
    private long resourceId = -1;
    private final List<Long> chunkIds = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();

    SegmentBuilder(VectorIndex index) {
      this.index = index;
    }

    void add(ChunkSource.StoredVector stored) {
      if (stored.resourceId() != resourceId) {
        flush();
        resourceId = stored.resourceId();
      }
      chunkIds.add(stored.chunkId());
      vectors.add(Vectors.fromBytes(stored.vector()));
    }

    void flush() {
      if (chunkIds.isEmpty()) {
        return;
      }
      int dim = vectors.getFirst().length;
      float[] flat = new float[dim * vectors.size()];
      for (int i = 0; i < vectors.size(); i++) {
        System.arraycopy(vectors.get(i), 0, flat, i * dim, dim);
      }
      index.put(resourceId, chunkIds.stream().mapToLong(Long::longValue).toArray(), flat, dim);
      chunkIds.clear();
      vectors.clear();
    }
  }
}
