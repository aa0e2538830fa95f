package io.atrium.search;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * A full-text engine behind {@code /search/hybrid}: the request's normalised terms in, the best chunks by BM25 out
 * (higher score is better), with the request's filters applied inside the engine, before its top-k cut.
 */
interface FullTextEngine {

  /** "fts5" or "lucene": the name a request or the configuration picks it by. */
  String name();

  /**
   * @param allowedResources the resources the filters allow (null when nothing is filtered), for an engine that
   *     filters by resource id rather than by SQL
   */
  Future<List<Fusion.Scored>> search(SearchRequest request, Future<Set<Long>> allowedResources, int limit);
}
