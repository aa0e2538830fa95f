package io.atrium.search;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/** The vector half of a hybrid search: the exact in-memory scan, or Lucene's HNSW graph above the exact limit. */
interface VectorSearch {

  /** "exact" or "hnsw", as replies and /health name it. */
  String name();

  /** The {@code k} nearest chunks among the allowed resources (null: all), best first, by cosine similarity. */
  Future<List<Fusion.Scored>> nearest(float[] query, int k, Future<Set<Long>> allowedResources);
}
