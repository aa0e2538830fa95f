package io.atrium.bus;

import static io.atrium.bus.Keys.CHUNK_ID;
import static io.atrium.bus.Keys.FILE_PATH;
import static io.atrium.bus.Keys.PAGE;
import static io.atrium.bus.Keys.RESOURCE_ID;
import static io.atrium.bus.Keys.TEXT;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One result of {@link Addresses#SEARCH_HYBRID}: the chunk, its fused score, the highlighted text, where it comes
 * from, and how each engine ranked it ({@code match}; scores and the fusion only when the request asked to explain).
 * A reranked result also carries {@code rerank_score}, added by the judge to the JSON as it passes.
 */
public record SearchHit(long resourceId, long chunkId, double score, String text, String highlight, String filePath,
    Integer page, Match match, Conversation conversation) {
  public SearchHit(long resourceId, long chunkId, double score, String text, String highlight, String filePath,
      Integer page, Match match) {
    this(resourceId, chunkId, score, text, highlight, filePath, page, match, null);
  }

  /**
   * Where a hit in a synced coding-agent session comes from; in the JSON, {@code source} then says
   * {@code source_type: "conversation"} with these fields (a document's says {@code source_type: "document"}).
   */
  public record Conversation(String conversationId, String workerName, String messageUuid) {
  }

  private static final String SCORE = "score";
  private static final String HIGHLIGHT = "highlight";
  private static final String SOURCE = "source";
  private static final String MATCH = "match";
  private static final String RESULTS = "results";
  private static final String SOURCE_TYPE = "source_type";
  private static final String CONVERSATION_ID = "conversation_id";
  private static final String WORKER_NAME = "worker_name";
  private static final String MESSAGE_UUID = "message_uuid";

  /** Ranks are 1-based; null where that engine did not find the chunk (or, for scores, was not asked to explain). */
  public record Match(Integer ftsRank, Integer vectorRank, String fusion, Double ftsScore, Double vectorScore) {
    private static final String FTS_RANK = "fts_rank";
    private static final String VECTOR_RANK = "vector_rank";
    private static final String FUSION = "fusion";
    private static final String FTS_SCORE = "fts_score";
    private static final String VECTOR_SCORE = "vector_score";

    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      putPresent(json, FTS_RANK, ftsRank);
      putPresent(json, VECTOR_RANK, vectorRank);
      putPresent(json, FUSION, fusion);
      putPresent(json, FTS_SCORE, ftsScore);
      putPresent(json, VECTOR_SCORE, vectorScore);
      return json;
    }

    public static Match fromJson(JsonObject json) {
      return new Match(json.getInteger(FTS_RANK), json.getInteger(VECTOR_RANK), json.getString(FUSION),
          json.getDouble(FTS_SCORE), json.getDouble(VECTOR_SCORE));
    }
  }

  public JsonObject toJson() {
    JsonObject source = new JsonObject().put(FILE_PATH, filePath);
    putPresent(source, PAGE, page);
    if (conversation != null) {
      source.put(SOURCE_TYPE, "conversation").put(CONVERSATION_ID, conversation.conversationId())
          .put(WORKER_NAME, conversation.workerName()).put(MESSAGE_UUID, conversation.messageUuid());
    } else {
      source.put(SOURCE_TYPE, "document");
    }
    return new JsonObject()
        .put(RESOURCE_ID, resourceId)
        .put(CHUNK_ID, chunkId)
        .put(SCORE, score)
        .put(TEXT, text)
        .put(HIGHLIGHT, highlight)
        .put(SOURCE, source)
        .put(MATCH, match.toJson());
  }

  public static SearchHit fromJson(JsonObject json) {
    JsonObject source = json.getValue(SOURCE) instanceof JsonObject given ? given : new JsonObject();
    JsonObject match = json.getValue(MATCH) instanceof JsonObject given ? given : new JsonObject();
    return new SearchHit(json.getLong(RESOURCE_ID), json.getLong(CHUNK_ID), json.getDouble(SCORE, 0.0),
        json.getString(TEXT, ""), json.getString(HIGHLIGHT), source.getString(FILE_PATH), source.getInteger(PAGE),
        Match.fromJson(match), "conversation".equals(source.getString(SOURCE_TYPE))
            ? new Conversation(source.getString(CONVERSATION_ID), source.getString(WORKER_NAME), source.getString(MESSAGE_UUID))
            : null);
  }

  /** The hits of a search reply ({@code results}), in rank order. */
  public static List<SearchHit> listFrom(JsonObject reply) {
    List<SearchHit> hits = new ArrayList<>();
    for (Object result : reply.getJsonArray(RESULTS, new JsonArray())) {
      hits.add(fromJson((JsonObject) result));
    }
    return hits;
  }

  private static void putPresent(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
