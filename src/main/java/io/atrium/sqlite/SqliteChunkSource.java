package io.atrium.sqlite;

import io.atrium.storage.ChunkSource;
import io.atrium.storage.ClientPaths;
import io.atrium.text.SearchText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link ChunkSource} over the SQLite file: its own read pool ({@link SqliteDatabase}), FTS5 for full text
 * ({@code context_chunks_fts}), vectors from {@code chunk_vectors}, the change feed from {@code index_changes}.
 */
public final class SqliteChunkSource implements ChunkSource {
  private final Vertx vertx;
  private final SqliteDatabase database;
  private final Pool pool;
  private final Path dataDir;

  private SqliteChunkSource(Vertx vertx, SqliteDatabase database, Path dataDir) {
    this.vertx = vertx;
    this.database = database;
    this.pool = database.pool();
    this.dataDir = dataDir;
  }

  /** {@code dataDir}: the files under it (uploads) are named relative to it in every chunk ({@link ClientPaths}). */
  public static SqliteChunkSource open(Vertx vertx, Path file, int readConnections, Path dataDir) {
    return new SqliteChunkSource(vertx, SqliteDatabase.open(vertx, file, readConnections), dataDir);
  }

  @Override
  public Future<List<Hit>> fullText(List<SearchText.Token> terms, Filters filters, int limit) {
    String match = SearchText.ftsQuery(terms);
    // without filters the joins would run for every matching row before the top-k cut
    StringBuilder sql = new StringBuilder(filters.isEmpty()
        ? "SELECT f.rowid AS id, bm25(context_chunks_fts) AS rank FROM context_chunks_fts f WHERE context_chunks_fts MATCH ?"
        : "SELECT f.rowid AS id, bm25(context_chunks_fts) AS rank FROM context_chunks_fts f "
            + "JOIN context_chunks c ON c.id = f.rowid JOIN resources r ON r.id = c.resource_id "
            + "WHERE context_chunks_fts MATCH ?");
    List<Object> params = new ArrayList<>();
    params.add(match);
    appendFilters(filters, sql, params, "r", "c.resource_id");
    sql.append(" ORDER BY rank LIMIT ?");
    params.add(limit);
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
      List<Hit> hits = new ArrayList<>(rows.size());
      rows.forEach(row -> hits.add(new Hit(row.getLong("id"), -row.getDouble("rank")))); // bm25: lower is better
      return hits;
    });
  }

  @Override
  public Future<Set<Long>> allowedResources(Filters filters) {
    if (filters.isEmpty()) {
      return Future.succeededFuture(null);
    }
    StringBuilder sql = new StringBuilder("SELECT r.id FROM resources r WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    appendFilters(filters, sql, params, "r", "r.id");
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
      Set<Long> ids = new HashSet<>();
      rows.forEach(row -> ids.add(row.getLong("id")));
      return ids;
    });
  }

  private static void appendFilters(Filters filters, StringBuilder sql, List<Object> params, String resourceAlias,
      String resourceIdColumn) {
    if (filters.taskId() != null) {
      sql.append(" AND ").append(resourceAlias).append(".task_id = ?");
      params.add(filters.taskId());
    }
    if (filters.fileType() != null) {
      sql.append(" AND lower(").append(resourceAlias).append(".file_type) = ?");
      params.add(filters.fileType());
    }
    if ("conversation".equals(filters.sourceType())) {
      sql.append(" AND ").append(resourceAlias).append(".file_type = 'conversation'");
    } else if ("document".equals(filters.sourceType())) {
      sql.append(" AND ").append(resourceAlias).append(".file_type IS NOT 'conversation'");
    }
    if (filters.workerName() != null) {
      sql.append(" AND ").append(resourceIdColumn).append(" IN (SELECT resource_id FROM conversation_index WHERE worker_id = ?)");
      params.add(filters.workerName());
    }
    if (filters.knowledgeBaseId() != null) {
      // a document without a row of its own (a host app's) is the default base's; a conversation is in none
      sql.append(" AND ").append(resourceAlias).append(".file_type IS NOT 'conversation' AND COALESCE((SELECT ")
          .append("d.knowledge_base_id FROM atrium_documents d WHERE d.resource_id = ").append(resourceIdColumn)
          .append("), 1) = ?");
      params.add(filters.knowledgeBaseId());
    }
    if (filters.resourceIds() != null) {
      if (filters.resourceIds().isEmpty()) {
        sql.append(" AND 0 = 1");
      } else {
        sql.append(" AND ").append(resourceIdColumn).append(" IN (").append(marks(filters.resourceIds())).append(')');
        params.addAll(filters.resourceIds());
      }
    }
  }

  @Override
  public Future<Map<Long, Chunk>> chunks(Set<Long> chunkIds) {
    if (chunkIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    // a conversation's chunk keeps, as its page, the id of the message it starts in (ConversationIndexer)
    return pool.preparedQuery("SELECT c.id, c.resource_id, c.content, c.page, r.file_path, ci.conversation_id, "
            + "ci.worker_id, m.uuid AS message_uuid FROM context_chunks c JOIN resources r ON r.id = c.resource_id "
            + "LEFT JOIN conversation_index ci ON ci.resource_id = c.resource_id "
            + "LEFT JOIN messages m ON ci.conversation_id IS NOT NULL AND m.id = c.page "
            + "WHERE c.id IN (" + marks(chunkIds) + ")")
        .execute(Tuple.from(new ArrayList<>(chunkIds)))
        .map(rows -> {
          Map<Long, Chunk> chunks = new HashMap<>();
          for (Row row : rows) {
            String conversationId = row.getString("conversation_id");
            chunks.put(row.getLong("id"), conversationId == null
                ? new Chunk(row.getLong("id"), row.getLong("resource_id"), row.getString("content"), row.getInteger("page"),
                    ClientPaths.shown(row.getString("file_path"), dataDir))
                : new Chunk(row.getLong("id"), row.getLong("resource_id"), row.getString("content"), null,
                    row.getString("file_path"), new ChunkSource.Conversation(conversationId, row.getString("worker_id"),
                        row.getString("message_uuid"))));
          }
          return chunks;
        });
  }

  @Override
  public Future<Optional<ResourceChunks>> resourceChunks(long resourceId, List<Long> chunkIds, int limit) {
    Future<RowSet<Row>> resource = pool.preparedQuery("SELECT file_path FROM resources WHERE id = ?")
        .execute(Tuple.of(resourceId));
    Future<RowSet<Row>> chunks = chunkIds.isEmpty()
        ? pool.preparedQuery("SELECT id, content, page FROM context_chunks WHERE resource_id = ? ORDER BY chunk_index LIMIT ?")
            .execute(Tuple.of(resourceId, limit))
        : pool.preparedQuery("SELECT id, content, page FROM context_chunks WHERE resource_id = ? AND id IN ("
                + marks(chunkIds) + ") ORDER BY chunk_index")
            .execute(withIds(resourceId, chunkIds));
    return Future.all(resource, chunks).map(both -> {
      if (resource.result().size() == 0) {
        return Optional.empty();
      }
      String filePath = ClientPaths.shown(resource.result().iterator().next().getString("file_path"), dataDir);
      List<Chunk> list = new ArrayList<>(chunks.result().size());
      for (Row row : chunks.result()) {
        list.add(new Chunk(row.getLong("id"), resourceId, row.getString("content"), row.getInteger("page"), filePath));
      }
      return Optional.of(new ResourceChunks(filePath, list));
    });
  }

  private static Tuple withIds(long resourceId, List<Long> chunkIds) {
    Tuple tuple = Tuple.tuple().addValue(resourceId);
    chunkIds.forEach(tuple::addValue);
    return tuple;
  }

  @Override
  public Future<List<StoredVector>> vectorPage(String model, long afterResourceId, int resources) {
    return pool.preparedQuery("SELECT resource_id, chunk_id, vector FROM chunk_vectors WHERE model = ? AND resource_id IN "
            + "(SELECT DISTINCT resource_id FROM chunk_vectors WHERE model = ? AND resource_id > ? ORDER BY resource_id LIMIT ?) "
            + "ORDER BY resource_id, chunk_id")
        .execute(Tuple.of(model, model, afterResourceId, resources))
        .compose(this::storedVectors);
  }

  @Override
  public Future<List<StoredVector>> vectorsOf(String model, long resourceId) {
    return pool.preparedQuery("SELECT resource_id, chunk_id, vector FROM chunk_vectors WHERE model = ? AND resource_id = ? ORDER BY chunk_id")
        .execute(Tuple.of(model, resourceId))
        .compose(this::storedVectors);
  }

  /** Copying a page's vectors out of the rows (up to 64 whole resources, books included) is not event-loop work. */
  private Future<List<StoredVector>> storedVectors(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Future.succeededFuture(List.of());
    }
    return vertx.executeBlocking(() -> {
      List<StoredVector> vectors = new ArrayList<>(rows.size());
      for (Row row : rows) {
        vectors.add(new StoredVector(row.getLong("resource_id"), row.getLong("chunk_id"), bytes(row, "vector")));
      }
      return vectors;
    });
  }

  @Override
  public Future<List<IndexedChunk>> indexedChunksOf(long resourceId, String vectorModel) {
    String sql = vectorModel == null
        ? "SELECT c.id, c.resource_id, c.content, NULL AS vector FROM context_chunks c WHERE c.resource_id = ? ORDER BY c.id"
        : "SELECT c.id, c.resource_id, c.content, v.vector FROM context_chunks c "
            + "LEFT JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = ? WHERE c.resource_id = ? ORDER BY c.id";
    Tuple params = vectorModel == null ? Tuple.of(resourceId) : Tuple.of(vectorModel, resourceId);
    return pool.preparedQuery(sql).execute(params).map(SqliteChunkSource::indexedChunks);
  }

  @Override
  public Future<List<IndexedChunk>> indexedChunkPage(long afterChunkId, int limit, String vectorModel) {
    String sql = vectorModel == null
        ? "SELECT c.id, c.resource_id, c.content, NULL AS vector FROM context_chunks c WHERE c.id > ? ORDER BY c.id LIMIT ?"
        : "SELECT c.id, c.resource_id, c.content, v.vector FROM context_chunks c "
            + "LEFT JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = ? WHERE c.id > ? ORDER BY c.id LIMIT ?";
    Tuple params = vectorModel == null ? Tuple.of(afterChunkId, limit) : Tuple.of(vectorModel, afterChunkId, limit);
    return pool.preparedQuery(sql).execute(params).map(SqliteChunkSource::indexedChunks);
  }

  private static List<IndexedChunk> indexedChunks(RowSet<Row> rows) {
    List<IndexedChunk> chunks = new ArrayList<>(rows.size());
    for (Row row : rows) {
      byte[] vector = row.getValue("vector") == null ? null : bytes(row, "vector");
      chunks.add(new IndexedChunk(row.getLong("id"), row.getLong("resource_id"), row.getString("content"), vector));
    }
    return chunks;
  }

  @Override
  public Future<List<IndexChange>> changesSince(long seq) {
    return pool.preparedQuery("SELECT seq, resource_id FROM index_changes WHERE seq > ? ORDER BY seq")
        .execute(Tuple.of(seq))
        .map(rows -> {
          List<IndexChange> changes = new ArrayList<>(rows.size());
          rows.forEach(row -> changes.add(new IndexChange(row.getLong("seq"), row.getLong("resource_id"))));
          return changes;
        });
  }

  @Override
  public Future<Snapshot> snapshot() {
    return pool.query("SELECT (SELECT COALESCE(MAX(seq), 0) FROM index_changes), (SELECT COUNT(*) FROM context_chunks)")
        .execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Snapshot(row.getLong(0), row.getLong(1));
        });
  }

  @Override
  public Future<Void> close() {
    return database.close();
  }

  private static String marks(Collection<Long> ids) {
    return ids.stream().map(id -> "?").collect(Collectors.joining(","));
  }

  private static byte[] bytes(Row row, String column) {
    Object value = row.getValue(column);
    if (value instanceof Buffer buffer) {
      return buffer.getBytes();
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    throw new IllegalStateException("unexpected vector column type " + (value == null ? "null" : value.getClass()));
  }
}
