package io.atrium.search;

import io.atrium.storage.ChunkSource;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * The store's own full-text index (SQLite FTS5, in the same file and transaction as the chunks: always current, and
 * what a host app sharing the database can query itself). bm25 scores every matching row, so it slows down as the
 * corpus grows.
 */
final class Fts5Engine implements FullTextEngine {
  private final ChunkSource chunks;

  Fts5Engine(ChunkSource chunks) {
    this.chunks = chunks;
  }

  @Override
  public String name() {
    return "fts5";
  }

  @Override
  public Future<List<Fusion.Scored>> search(SearchRequest request, Future<Set<Long>> allowedResources, int limit) {
    return chunks.fullText(request.terms(), request.filters(), limit)
        .map(hits -> hits.stream().map(hit -> new Fusion.Scored(hit.chunkId(), hit.score())).toList());
  }
}
