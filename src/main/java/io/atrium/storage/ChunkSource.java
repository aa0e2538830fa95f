package io.atrium.storage;

import io.atrium.text.SearchText;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What search reads from the store: chunk texts and their sources, the store's own full-text index, the resources a
 * filter allows, stored vectors, and the change feed that the derived indexes (Lucene, the in-memory vectors) catch
 * up from. A library interface, not a verticle's: the embedded store implements it over SQLite
 * ({@code sqlite.SqliteChunkSource}), a clustered one would over PostgreSQL. Every method answers on the caller's
 * context without blocking it; results are snapshots, read apart from the writer's transactions.
 */
public interface ChunkSource {

  /**
   * Chunks matching any of the terms in the store's own full-text index (SQLite: FTS5 bm25), best first, higher
   * score better, the filters applied before the {@code limit} cut.
   */
  Future<List<Hit>> fullText(List<SearchText.Token> terms, Filters filters, int limit);

  /** The ids of the resources the filters allow, or null when no filter restricts resources. */
  Future<Set<Long>> allowedResources(Filters filters);

  /** Text, page and source of the given chunks, by chunk id; a chunk deleted meanwhile is absent. */
  Future<Map<Long, Chunk>> chunks(Set<Long> chunkIds);

  /**
   * One resource's chunks in document order: the listed ones that belong to it or, with none listed, the first
   * {@code limit}. Empty when the resource does not exist.
   */
  Future<Optional<ResourceChunks>> resourceChunks(long resourceId, List<Long> chunkIds, int limit);

  /**
   * The {@code model} vectors of the next {@code resources} resources with ids above {@code afterResourceId}, by
   * resource then chunk id: whole resources, so a page never splits one.
   */
  Future<List<StoredVector>> vectorPage(String model, long afterResourceId, int resources);

  /** The {@code model} vectors of one resource, by chunk id. */
  Future<List<StoredVector>> vectorsOf(String model, long resourceId);

  /** One resource's chunks with their {@code vectorModel} vectors (none when it is null), by chunk id. */
  Future<List<IndexedChunk>> indexedChunksOf(long resourceId, String vectorModel);

  /** Up to {@code limit} chunks with ids above {@code afterChunkId}, by chunk id: a page of a full rebuild. */
  Future<List<IndexedChunk>> indexedChunkPage(long afterChunkId, int limit, String vectorModel);

  /** The index changes after {@code seq}, oldest first. */
  Future<List<IndexChange>> changesSince(long seq);

  /** The newest index change's seq and how many chunks there are, read together. */
  Future<Snapshot> snapshot();

  Future<Void> close();

  /**
   * Search filters: seed 000's task, file type (lower case, no dot) and resource ids, and the source type
   * ({@code document} or {@code conversation}, a synced coding-agent session) and worker of a conversation, and the
   * knowledge base of a document (a resource without a base is the default base's); null means unrestricted.
   */
  record Filters(Long taskId, String fileType, List<Long> resourceIds, String sourceType, String workerName,
      Long knowledgeBaseId) {
    public static final Filters NONE = new Filters(null, null, null, null, null, null);

    public boolean isEmpty() {
      return taskId == null && fileType == null && resourceIds == null && sourceType == null && workerName == null
          && knowledgeBaseId == null;
    }
  }

  record Hit(long chunkId, double score) {
  }

  /**
   * A chunk as a search result shows it; {@code page} is null for a document without pages, {@code filePath} as
   * clients are shown it ({@link ClientPaths}: an upload's relative to the data dir).
   */
  record Chunk(long chunkId, long resourceId, String text, Integer page, String filePath, Conversation conversation) {
    public Chunk(long chunkId, long resourceId, String text, Integer page, String filePath) {
      this(chunkId, resourceId, text, page, filePath, null);
    }
  }

  /** Where a chunk of a synced conversation comes from: the conversation, its worker, the message it starts in. */
  record Conversation(String conversationId, String workerName, String messageUuid) {
  }

  record ResourceChunks(String filePath, List<Chunk> chunks) {
  }

  /** A stored vector, still encoded as {@code bus.Vectors} writes it (float32 little-endian): decoding is the reader's. */
  record StoredVector(long resourceId, long chunkId, byte[] vector) {
  }

  /** A chunk as a derived index takes it; {@code vector} encoded as in {@link StoredVector}, or null. */
  record IndexedChunk(long chunkId, long resourceId, String text, byte[] vector) {
  }

  /** One committed change of a resource's chunks (replaced or removed: a reader re-reads what is there now). */
  record IndexChange(long seq, long resourceId) {
  }

  /** {@code lastSeq} is 0 when there has been no change. */
  record Snapshot(long lastSeq, long chunks) {
  }
}
