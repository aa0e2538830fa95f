package io.atrium.search;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.storage.ChunkSource.Filters;
import io.atrium.text.SearchText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A validated {@code /search/hybrid} request. */
/**
 * {@code rerank}: null, or the provider fields ({} for the configured judge) of the reranker to apply;
 * {@code engine}: the full-text engine the request asks for, or null for the configured one.
 */
record SearchRequest(String query, List<SearchText.Token> terms, int topK, String fusion, String mode, Filters filters,
    JsonObject rerank, Double vectorWeight, boolean explain, String engine) {
  private static final int MAX_QUERY_CHARS = 2000;

  static SearchRequest fromJson(JsonObject body, SearchSettings settings) {
    if (body == null) {
      throw ErrorCode.INVALID_REQUEST.exception("a JSON object is required");
    }
    if (!(body.getValue("query") instanceof String query) || query.isBlank()) {
      throw ErrorCode.INVALID_REQUEST.exception("query must be a non-empty string", "query");
    }
    if (query.length() > MAX_QUERY_CHARS) {
      throw ErrorCode.INVALID_REQUEST.exception("query is longer than " + MAX_QUERY_CHARS + " characters", "query");
    }
    List<SearchText.Token> terms = SearchText.queryTerms(query);
    if (terms.isEmpty()) {
      throw ErrorCode.INVALID_REQUEST.exception("query has no searchable words after normalisation", "query");
    }
    Object topK = body.getValue("top_k", settings.defaultTopK());
    if (!(topK instanceof Integer || topK instanceof Long) || ((Number) topK).intValue() < 1
        || ((Number) topK).intValue() > settings.maxTopK()) {
      throw ErrorCode.INVALID_REQUEST.exception("top_k must be an integer from 1 to " + settings.maxTopK(), "top_k");
    }
    Object fusion = body.getValue("fusion", settings.fusion());
    if (!"rrf".equals(fusion) && !"dedupe".equals(fusion) && !"weighted".equals(fusion)) {
      throw ErrorCode.INVALID_REQUEST.exception("fusion must be \"weighted\", \"rrf\" or \"dedupe\"", "fusion");
    }
    Double vectorWeight = null;
    Object weights = body.getValue("weights");
    if (weights != null) {
      if (!(weights instanceof JsonObject given) || !(given.getValue("vector") instanceof Number vector)
          || vector.doubleValue() < 0 || vector.doubleValue() > 1) {
        throw ErrorCode.INVALID_REQUEST.exception(
            "weights must be {\"vector\": w} with w from 0 to 1 (full-text gets 1 - w)", "weights");
      }
      vectorWeight = vector.doubleValue();
    }
    Boolean explain = Fields.optionalBoolean(body, "explain");
    Object mode = body.getValue("mode", "hybrid");
    if (!"hybrid".equals(mode) && !"fts".equals(mode) && !"vector".equals(mode)) {
      throw ErrorCode.INVALID_REQUEST.exception("mode must be \"hybrid\", \"fts\" or \"vector\"", "mode");
    }
    Object filters = body.getValue("filters");
    if (filters != null && !(filters instanceof JsonObject)) {
      throw ErrorCode.INVALID_REQUEST.exception("filters must be an object", "filters");
    }
    Object rerank = body.getValue("rerank");
    if (rerank != null && !(rerank instanceof Boolean) && !(rerank instanceof JsonObject)) {
      throw ErrorCode.INVALID_REQUEST.exception(
          "rerank must be true, false or an object {provider?, model?, api_key?, base_url?}", "rerank");
    }
    Object engine = body.getValue("engine");
    if (engine != null && !"lucene".equals(engine) && !"fts5".equals(engine)) {
      throw ErrorCode.INVALID_REQUEST.exception("engine must be \"lucene\" or \"fts5\"", "engine");
    }
    JsonObject judge = rerank instanceof JsonObject fields ? fields.copy() : Boolean.TRUE.equals(rerank) ? new JsonObject() : null;
    if (judge != null) {
      // checked here, not by the judge: a rerank that fails only degrades the answer, and a bad URL is the caller's
      Fields.httpUrl(judge.getValue("base_url"), "rerank.base_url");
    }
    return new SearchRequest(query, terms, ((Number) topK).intValue(), (String) fusion, (String) mode,
        filters((JsonObject) filters), judge, vectorWeight, Boolean.TRUE.equals(explain), (String) engine);
  }

  private static final List<String> SOURCE_TYPES = List.of("document", "conversation");

  /** Seed 000's filters (task, file type with case and a leading dot ignored, resource ids); source type, worker. */
  private static Filters filters(JsonObject json) {
    if (json == null) {
      return Filters.NONE;
    }
    Object task = json.getValue("task_id");
    Object type = json.getValue("file_type");
    Object ids = json.getValue("resource_ids");
    if (task != null && !(task instanceof Number)) {
      throw ErrorCode.INVALID_REQUEST.exception("filters.task_id must be an integer", "filters.task_id");
    }
    if (type != null && !(type instanceof String)) {
      throw ErrorCode.INVALID_REQUEST.exception("filters.file_type must be a string", "filters.file_type");
    }
    List<Long> resourceIds = null;
    if (ids != null) {
      if (!(ids instanceof JsonArray array)) {
        throw ErrorCode.INVALID_REQUEST.exception("filters.resource_ids must be an array of integers", "filters.resource_ids");
      }
      resourceIds = new ArrayList<>();
      for (Object id : array) {
        if (!(id instanceof Number number)) {
          throw ErrorCode.INVALID_REQUEST.exception("filters.resource_ids must be an array of integers", "filters.resource_ids");
        }
        resourceIds.add(number.longValue());
      }
    }
    String fileType = type == null ? null : ((String) type).toLowerCase().replaceFirst("^\\.", "");
    Object sourceType = json.getValue("source_type");
    if (sourceType != null && !SOURCE_TYPES.contains(sourceType)) {
      throw ErrorCode.INVALID_REQUEST.exception("filters.source_type must be one of " + SOURCE_TYPES, "filters.source_type");
    }
    Object worker = json.getValue("worker_name");
    if (worker != null && !(worker instanceof String)) {
      throw ErrorCode.INVALID_REQUEST.exception("filters.worker_name must be a string", "filters.worker_name");
    }
    Long knowledgeBase = Fields.optionalPositiveLong(json, "knowledge_base_id");
    return new Filters(task == null ? null : ((Number) task).longValue(), fileType, resourceIds, (String) sourceType,
        (String) worker, knowledgeBase);
  }

  boolean usesFullText() {
    return !"vector".equals(mode);
  }

  boolean usesVectors() {
    return !"fts".equals(mode);
  }
}
