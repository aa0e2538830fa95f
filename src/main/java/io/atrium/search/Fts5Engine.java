package io.atrium.search;

import io.atrium.text.SearchText;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * SQLite FTS5, in the same file and transaction as the chunks (always current, and what a host app sharing the
 * database can query itself). bm25 scores every matching row, so it slows down as the corpus grows.
 */
final class Fts5Engine implements FullTextEngine {
  private final ChunkReader reader;

  Fts5Engine(ChunkReader reader) {
    this.reader = reader;
  }

  @Override
  public String name() {
    return "fts5";
  }

  @Override
  public Future<List<Fusion.Scored>> search(SearchRequest request, Future<Set<Long>> allowedResources, int limit) {
    return reader.fullText(SearchText.ftsQuery(request.terms()), request.filters(), limit);
  }
}
