package io.atrium.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.app.AtriumConfig;
import io.atrium.storage.ChunkSource;
import io.atrium.text.SearchText;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The query plan alone: an in-memory store, a fixed vector half, embedder and judge as plain functions; no bus. */
class SearchPlanTest {
  private static final SearchSettings FTS5_ONLY = SearchSettings.fromJson(
      AtriumConfig.defaults().getJsonObject("search").copy().put("engine", "fts5"));

  private final InMemoryChunks store = new InMemoryChunks()
      .resource(1, 10L, "pdf", "/docs/zebras.pdf")
      .resource(2, 20L, "txt", "/docs/horses.txt")
      .chunk(11, 1, "zebra stripes confuse flies", 3)
      .chunk(12, 1, "stripes on a zebra foal", 4)
      .chunk(21, 2, "horses have no stripes", null);
  /** The vector half ranks chunk 21, then 11, whichever of them the filters allow. */
  private final VectorSearch vectors = rankedVectors(List.of(21L, 11L));
  private final float[] queryVector = {1f, 0f};

  @Test
  void hybridFusesBothHalvesAndShowsEachHitWithItsSourceAndRanks() {
    JsonObject reply = answer(plan(query -> Future.succeededFuture(queryVector), ask -> Future.failedFuture("unused"))
        .run(request(new JsonObject().put("query", "zebra stripes").put("fusion", "rrf"))));

    JsonArray results = reply.getJsonArray("results");
    assertThat(ids(results)).containsExactly(11L, 21L, 12L);
    JsonObject first = results.getJsonObject(0);
    assertThat(first.getLong("resource_id")).isEqualTo(1L);
    assertThat(first.getString("text")).isEqualTo("zebra stripes confuse flies");
    assertThat(first.getJsonObject("source")).isEqualTo(new JsonObject().put("file_path", "/docs/zebras.pdf").put("page", 3)
        .put("source_type", "document"));
    assertThat(first.getJsonObject("match")).isEqualTo(new JsonObject().put("fts_rank", 1).put("vector_rank", 2));
    assertThat(first.getString("highlight")).contains("zebra");
    assertThat(results.getJsonObject(1).getJsonObject("source")).isEqualTo(new JsonObject().put("file_path", "/docs/horses.txt")
        .put("source_type", "document"));
    assertThat(reply.getJsonObject("engines")).isEqualTo(new JsonObject().put("full_text", "fts5").put("vector", "exact"));
    assertThat(reply.containsKey("degraded")).isFalse();
  }

  @Test
  void filtersApplyToBothHalvesBeforeTheirCut() {
    JsonObject reply = answer(plan(query -> Future.succeededFuture(queryVector), ask -> Future.failedFuture("unused"))
        .run(request(new JsonObject().put("query", "stripes").put("filters", new JsonObject().put("task_id", 20)))));

    assertThat(ids(reply.getJsonArray("results"))).containsExactly(21L);
  }

  @Test
  void anEmbedderThatFailsLeavesFullTextAloneAndSaysSo() {
    SearchPlan plan = plan(query -> Future.failedFuture("embedder down"), ask -> Future.failedFuture("unused"));

    JsonObject reply = answer(plan.run(request(new JsonObject().put("query", "zebra").put("explain", true))));
    assertThat(ids(reply.getJsonArray("results"))).containsExactly(11L, 12L);
    assertThat(reply.getJsonArray("degraded")).containsExactly("vector");
    assertThat(reply.getJsonArray("results").getJsonObject(0).getJsonObject("match").getString("fusion")).isEqualTo("weighted");

    Future<JsonObject> vectorOnly = plan.run(request(new JsonObject().put("query", "zebra").put("mode", "vector")));
    assertThat(vectorOnly.failed()).isTrue();
    assertThat(((ReplyException) vectorOnly.cause()).failureCode()).isEqualTo(503);
  }

  @Test
  void theJudgeReordersAndAFailedJudgeKeepsTheFusedOrder() {
    JsonObject ask = new JsonObject().put("query", "zebra").put("mode", "fts").put("rerank", true);
    SearchPlan reversing = plan(query -> Future.succeededFuture(queryVector), question -> {
      List<Object> reversed = new ArrayList<>(question.getJsonArray("results").getList());
      Collections.reverse(reversed);
      return Future.succeededFuture(new JsonObject().put("results", new JsonArray(reversed)));
    });
    JsonObject reranked = answer(reversing.run(request(ask)));
    assertThat(ids(reranked.getJsonArray("results"))).containsExactly(12L, 11L);
    assertThat(reranked.getBoolean("reranked")).isTrue();

    SearchPlan failing = plan(query -> Future.succeededFuture(queryVector), question -> Future.failedFuture("judge down"));
    JsonObject kept = answer(failing.run(request(ask)));
    assertThat(ids(kept.getJsonArray("results"))).containsExactly(11L, 12L);
    assertThat(kept.getJsonArray("degraded")).containsExactly("rerank");
  }

  @Test
  void aChunkDeletedBetweenRankingAndReadingIsLeftOut() {
    store.deleteAfterRanking(12L);
    JsonObject reply = answer(plan(query -> Future.succeededFuture(queryVector), ask -> Future.failedFuture("unused"))
        .run(request(new JsonObject().put("query", "zebra").put("mode", "fts"))));

    assertThat(ids(reply.getJsonArray("results"))).containsExactly(11L);
  }

  @Test
  void askingForLuceneWhereOnlyFts5IsConfiguredNamesTheField() {
    SearchPlan plan = plan(query -> Future.succeededFuture(queryVector), ask -> Future.failedFuture("unused"));
    assertThatThrownBy(() -> plan.run(request(new JsonObject().put("query", "zebra").put("engine", "lucene"))))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400))
        .hasMessageContaining("engine");
    assertThat(plan.status()).isEqualTo(new JsonObject().put("full_text", "fts5").put("vector_index", "exact"));
  }

  private SearchPlan plan(SearchPlan.QueryEmbedder embedder, SearchPlan.Judge judge) {
    return new SearchPlan(FTS5_ONLY, "latin", store, null, vectors, embedder, judge);
  }

  private static SearchRequest request(JsonObject body) {
    return SearchRequest.fromJson(body, FTS5_ONLY);
  }

  private static JsonObject answer(Future<JsonObject> reply) {
    assertThat(reply.isComplete()).as("the fakes answer at once").isTrue();
    if (reply.failed()) {
      throw new AssertionError("the plan failed", reply.cause());
    }
    return reply.result();
  }

  private static List<Long> ids(JsonArray results) {
    return results.stream().map(result -> ((JsonObject) result).getLong("chunk_id")).toList();
  }

  private VectorSearch rankedVectors(List<Long> ranking) {
    return new VectorSearch() {
      @Override
      public String name() {
        return "exact";
      }

      @Override
      public Future<List<Fusion.Scored>> nearest(float[] query, int k, Future<Set<Long>> allowedResources) {
        return allowedResources.map(allowed -> ranking.stream()
            .filter(chunk -> allowed == null || allowed.contains(store.resourceOf(chunk)))
            .map(chunk -> new Fusion.Scored(chunk, 0.9 - ranking.indexOf(chunk) * 0.1))
            .limit(k).toList());
      }
    };
  }

  /** The reads a query plan makes, over maps: full text scores a chunk by how many query terms its text holds. */
  private static final class InMemoryChunks implements ChunkSource {
    private record Resource(Long taskId, String fileType, String filePath) {
    }

    private final Map<Long, Resource> resources = new LinkedHashMap<>();
    private final Map<Long, Chunk> chunks = new LinkedHashMap<>();
    private Long deletedAfterRanking;

    InMemoryChunks resource(long id, Long taskId, String fileType, String filePath) {
      resources.put(id, new Resource(taskId, fileType, filePath));
      return this;
    }

    InMemoryChunks chunk(long id, long resourceId, String text, Integer page) {
      chunks.put(id, new Chunk(id, resourceId, text, page, resources.get(resourceId).filePath()));
      return this;
    }

    long resourceOf(long chunkId) {
      return chunks.get(chunkId).resourceId();
    }

    void deleteAfterRanking(long chunkId) {
      deletedAfterRanking = chunkId;
    }

    @Override
    public Future<List<Hit>> fullText(List<SearchText.Token> terms, Filters filters, int limit) {
      Set<Long> allowed = allowed(filters);
      return Future.succeededFuture(chunks.values().stream()
          .filter(chunk -> allowed == null || allowed.contains(chunk.resourceId()))
          .map(chunk -> new Hit(chunk.chunkId(), terms.stream().filter(t -> chunk.text().contains(t.text())).count()))
          .filter(hit -> hit.score() > 0)
          .sorted(Comparator.comparingDouble(Hit::score).reversed())
          .limit(limit).toList());
    }

    @Override
    public Future<Set<Long>> allowedResources(Filters filters) {
      return Future.succeededFuture(allowed(filters));
    }

    private Set<Long> allowed(Filters filters) {
      if (filters.isEmpty()) {
        return null;
      }
      return resources.entrySet().stream()
          .filter(e -> filters.taskId() == null || filters.taskId().equals(e.getValue().taskId()))
          .filter(e -> filters.fileType() == null || filters.fileType().equals(e.getValue().fileType()))
          .filter(e -> filters.resourceIds() == null || filters.resourceIds().contains(e.getKey()))
          .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Override
    public Future<Map<Long, Chunk>> chunks(Set<Long> chunkIds) {
      return Future.succeededFuture(chunkIds.stream().filter(id -> chunks.containsKey(id) && !id.equals(deletedAfterRanking))
          .collect(Collectors.toMap(id -> id, chunks::get)));
    }

    @Override
    public Future<Optional<ResourceChunks>> resourceChunks(long resourceId, List<Long> chunkIds, int limit) {
      throw new UnsupportedOperationException("not read by a query plan");
    }

    @Override
    public Future<List<StoredVector>> vectorPage(String model, long afterResourceId, int resources) {
      throw new UnsupportedOperationException("not read by a query plan");
    }

    @Override
    public Future<List<StoredVector>> vectorsOf(String model, long resourceId) {
      throw new UnsupportedOperationException("not read by a query plan");
    }

    @Override
    public Future<List<IndexedChunk>> indexedChunksOf(long resourceId, String vectorModel) {
      throw new UnsupportedOperationException("not read by a query plan");
    }

    @Override
    public Future<List<IndexedChunk>> indexedChunkPage(long afterChunkId, int limit, String vectorModel) {
      throw new UnsupportedOperationException("not read by a query plan");
    }

    @Override
    public Future<List<IndexChange>> changesSince(long seq) {
      throw new UnsupportedOperationException("not read by a query plan");
    }

    @Override
    public Future<Snapshot> snapshot() {
      throw new UnsupportedOperationException("not read by a query plan");
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
