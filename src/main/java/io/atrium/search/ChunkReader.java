package io.atrium.search;

import io.atrium.bus.Vectors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Read-side SQL of search: FTS5 queries, chunk details, filter resolution and vector loading. */
final class ChunkReader {
  private static final int VECTOR_PAGE = 4096;

  private final io.vertx.core.Vertx vertx;
  private final Pool pool;

  ChunkReader(io.vertx.core.Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Chunks by FTS5 bm25, best first (score = -bm25, so higher is better), with filters applied inside the query. */
  Future<List<Fusion.Scored>> fullText(String match, Filters filters, int limit) {
    // without filters the joins would run for every matching row before the top-k cut
    StringBuilder sql = new StringBuilder(filters.isEmpty()
        ? "SELECT f.rowid AS id, bm25(context_chunks_fts) AS rank FROM context_chunks_fts f WHERE context_chunks_fts MATCH ?"
        : "SELECT f.rowid AS id, bm25(context_chunks_fts) AS rank FROM context_chunks_fts f "
            + "JOIN context_chunks c ON c.id = f.rowid JOIN resources r ON r.id = c.resource_id "
            + "WHERE context_chunks_fts MATCH ?");
    List<Object> params = new ArrayList<>();
    params.add(match);
    filters.appendSql(sql, params, "r", "c.resource_id");
    sql.append(" ORDER BY rank LIMIT ?");
    params.add(limit);
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
      List<Fusion.Scored> hits = new ArrayList<>(rows.size());
      rows.forEach(row -> hits.add(new Fusion.Scored(row.getLong("id"), -row.getDouble("rank"))));
      return hits;
    });
  }

  /** Resource ids matching the filters, for the vector scan (null when no filter restricts resources). */
  Future<Set<Long>> allowedResources(Filters filters) {
    if (filters.isEmpty()) {
      return Future.succeededFuture(null);
    }
    StringBuilder sql = new StringBuilder("SELECT r.id FROM resources r WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    filters.appendSql(sql, params, "r", "r.id");
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
      Set<Long> ids = new HashSet<>();
      rows.forEach(row -> ids.add(row.getLong("id")));
      return ids;
    });
  }

  /** Text, page and source of the given chunks. */
  Future<Map<Long, JsonObject>> details(Set<Long> chunkIds) {
    if (chunkIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String marks = chunkIds.stream().map(id -> "?").collect(Collectors.joining(","));
    return pool.preparedQuery("SELECT c.id, c.resource_id, c.content, c.page, c.start_offset, c.end_offset, "
            + "r.file_path, r.file_type FROM context_chunks c JOIN resources r ON r.id = c.resource_id WHERE c.id IN (" + marks + ")")
        .execute(Tuple.from(new ArrayList<>(chunkIds)))
        .map(rows -> {
          Map<Long, JsonObject> details = new HashMap<>();
          for (Row row : rows) {
            details.put(row.getLong("id"), new JsonObject()
                .put("resource_id", row.getLong("resource_id"))
                .put("text", row.getString("content"))
                .put("page", row.getInteger("page"))
                .put("start", row.getInteger("start_offset"))
                .put("end", row.getInteger("end_offset"))
                .put("file_path", row.getString("file_path"))
                .put("file_type", row.getString("file_type")));
          }
          return details;
        });
  }

  /**
   * Chunks of one resource in document order: the listed ones (each must belong to it) or, with none listed, the
   * first {@code limit}. Answers {resource_id, file_path, chunks: [{chunk_id, text, page?}]}.
   */
  Future<JsonObject> resourceChunks(long resourceId, List<Long> chunkIds, int limit) {
    Future<io.vertx.sqlclient.RowSet<Row>> resource = pool.preparedQuery("SELECT file_path FROM resources WHERE id = ?")
        .execute(Tuple.of(resourceId));
    Future<io.vertx.sqlclient.RowSet<Row>> chunks = chunkIds.isEmpty()
        ? pool.preparedQuery("SELECT id, content, page FROM context_chunks WHERE resource_id = ? ORDER BY chunk_index LIMIT ?")
            .execute(Tuple.of(resourceId, limit))
        : pool.preparedQuery("SELECT id, content, page FROM context_chunks WHERE resource_id = ? AND id IN ("
                + chunkIds.stream().map(id -> "?").collect(Collectors.joining(",")) + ") ORDER BY chunk_index")
            .execute(withIds(resourceId, chunkIds));
    return Future.all(resource, chunks).compose(both -> {
      if (resource.result().size() == 0) {
        return Future.failedFuture(io.atrium.bus.ErrorCode.NOT_FOUND.exception("resource " + resourceId + " does not exist", "resource_id"));
      }
      io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
      Set<Long> found = new java.util.HashSet<>();
      for (Row row : chunks.result()) {
        found.add(row.getLong("id"));
        JsonObject chunk = new JsonObject().put("chunk_id", row.getLong("id")).put("text", row.getString("content"));
        if (row.getInteger("page") != null) {
          chunk.put("page", row.getInteger("page"));
        }
        list.add(chunk);
      }
      List<Long> missing = chunkIds.stream().filter(id -> !found.contains(id)).toList();
      if (!missing.isEmpty()) {
        return Future.failedFuture(io.atrium.bus.ErrorCode.NOT_FOUND.exception(
            "chunks " + missing + " are not chunks of resource " + resourceId, "chunk_id_list"));
      }
      return Future.succeededFuture(new JsonObject().put("resource_id", resourceId)
          .put("file_path", resource.result().iterator().next().getString("file_path")).put("chunks", list));
    });
  }

  private static Tuple withIds(long resourceId, List<Long> chunkIds) {
    Tuple tuple = Tuple.tuple().addValue(resourceId);
    chunkIds.forEach(tuple::addValue);
    return tuple;
  }

  /** Loads every vector of {@code model} into the index, a page at a time (never the whole table in one result). */
  Future<Integer> loadAll(String model, VectorIndex index) {
    return loadPage(model, index, 0L, 0, new SegmentBuilder(index));
  }

  private Future<Integer> loadPage(String model, VectorIndex index, long afterResource, int loaded, SegmentBuilder builder) {
    // Whole resources per page, so each resource's segment is built from one page.
    return pool.preparedQuery("SELECT resource_id, chunk_id, vector FROM chunk_vectors WHERE model = ? AND resource_id IN "
            + "(SELECT DISTINCT resource_id FROM chunk_vectors WHERE model = ? AND resource_id > ? ORDER BY resource_id LIMIT ?) "
            + "ORDER BY resource_id, chunk_id")
        .execute(Tuple.of(model, model, afterResource, Math.max(1, VECTOR_PAGE / 64)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(loaded);
          }
          // decoding a page (up to 64 whole resources, books included) is CPU work: not on the event loop
          return vertx.executeBlocking(() -> {
            long last = afterResource;
            for (Row row : rows) {
              last = row.getLong("resource_id");
              builder.add(last, row.getLong("chunk_id"), bytes(row, "vector"));
            }
            builder.flush();
            return last;
          }).compose(last -> loadPage(model, index, last, loaded + rows.size(), builder));
        });
  }

  /** Reloads one resource's vectors after the store replaced them. */
  Future<Integer> loadResource(String model, long resourceId, VectorIndex index, java.util.function.BooleanSupplier current) {
    return pool.preparedQuery("SELECT resource_id, chunk_id, vector FROM chunk_vectors WHERE model = ? AND resource_id = ? ORDER BY chunk_id")
        .execute(Tuple.of(model, resourceId))
        .compose(rows -> vertx.executeBlocking(() -> {
          if (!current.getAsBoolean()) {
            return 0; // a later change of this resource (a delete, a newer replace) has overtaken this load
          }
          SegmentBuilder builder = new SegmentBuilder(index);
          rows.forEach(row -> builder.add(resourceId, row.getLong("chunk_id"), bytes(row, "vector")));
          builder.flush();
          if (rows.size() == 0) {
            index.remove(resourceId);
          }
          return rows.size();
        }));
  }

  /** The current chunks of one resource as Lucene documents (with their {@code vectorModel} vectors, if given). */
  Future<List<LuceneIndex.ChunkDoc>> chunksOf(long resourceId, String vectorModel) {
    String sql = vectorModel == null
        ? "SELECT c.id, c.resource_id, c.content, NULL AS vector FROM context_chunks c WHERE c.resource_id = ? ORDER BY c.id"
        : "SELECT c.id, c.resource_id, c.content, v.vector FROM context_chunks c "
            + "LEFT JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = ? WHERE c.resource_id = ? ORDER BY c.id";
    Tuple params = vectorModel == null ? Tuple.of(resourceId) : Tuple.of(vectorModel, resourceId);
    return pool.preparedQuery(sql).execute(params).map(ChunkReader::chunkDocs);
  }

  /** Up to {@code limit} chunks with ids above {@code afterChunkId}, in id order: a rebuild's page. */
  Future<List<LuceneIndex.ChunkDoc>> chunkPage(long afterChunkId, int limit, String vectorModel) {
    String sql = vectorModel == null
        ? "SELECT c.id, c.resource_id, c.content, NULL AS vector FROM context_chunks c WHERE c.id > ? ORDER BY c.id LIMIT ?"
        : "SELECT c.id, c.resource_id, c.content, v.vector FROM context_chunks c "
            + "LEFT JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = ? WHERE c.id > ? ORDER BY c.id LIMIT ?";
    Tuple params = vectorModel == null ? Tuple.of(afterChunkId, limit) : Tuple.of(vectorModel, afterChunkId, limit);
    return pool.preparedQuery(sql).execute(params).map(ChunkReader::chunkDocs);
  }

  /** Vectors stay encoded here: the index decodes them on its worker. */
  private static List<LuceneIndex.ChunkDoc> chunkDocs(io.vertx.sqlclient.RowSet<Row> rows) {
    List<LuceneIndex.ChunkDoc> docs = new ArrayList<>(rows.size());
    for (Row row : rows) {
      byte[] vector = row.getValue("vector") == null ? null : bytes(row, "vector");
      docs.add(new LuceneIndex.ChunkDoc(row.getLong("id"), row.getLong("resource_id"), row.getString("content"), vector));
    }
    return docs;
  }

  /** Index changes after {@code seq}, oldest first: {seq, resource_id, action}. */
  Future<List<JsonObject>> changesSince(long seq) {
    return pool.preparedQuery("SELECT seq, resource_id, action FROM index_changes WHERE seq > ? ORDER BY seq")
        .execute(Tuple.of(seq))
        .map(rows -> {
          List<JsonObject> changes = new ArrayList<>(rows.size());
          rows.forEach(row -> changes.add(new JsonObject().put("seq", row.getLong("seq"))
              .put("resource_id", row.getLong("resource_id")).put("action", row.getString("action"))));
          return changes;
        });
  }

  /** The newest index change's seq (0 when there is none) and how many chunks there are. */
  Future<long[]> seqAndChunkCount() {
    return pool.query("SELECT (SELECT COALESCE(MAX(seq), 0) FROM index_changes), (SELECT COUNT(*) FROM context_chunks)")
        .execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new long[] {row.getLong(0), row.getLong(1)};
        });
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

  /** Groups consecutive rows of one resource into a flat segment. */
  private static final class SegmentBuilder {
    private final VectorIndex index;
    private long resourceId = -1;
    private final List<Long> chunkIds = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();

    SegmentBuilder(VectorIndex index) {
      this.index = index;
    }

    void add(long resource, long chunkId, byte[] vector) {
      if (resource != resourceId) {
        flush();
        resourceId = resource;
      }
      chunkIds.add(chunkId);
      vectors.add(Vectors.fromBytes(vector));
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
