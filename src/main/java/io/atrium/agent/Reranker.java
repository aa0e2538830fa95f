package io.atrium.agent;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code POST /search/rerank}: an LLM judge scores the first {@code agent.rerank_max_results} results 0–10 against
 * the query; they are reordered by that score (ties keep their order) and the rest follow unchanged. Each judged
 * result gains {@code rerank_score}.
 */
final class Reranker {
  static final int MAX_RESULTS = 200;
  private static final int MAX_CHARS_PER_PASSAGE = 1500;

  private final AgentSettings settings;
  private final StructuredAsk ask;

  Reranker(AgentSettings settings, StructuredAsk ask) {
    this.settings = settings;
    this.ask = ask;
  }

  Future<JsonObject> rerank(JsonObject body) {
    if (!(body.getValue("query") instanceof String query) || query.isBlank() || query.length() > 2000) {
      throw AgentRequest.invalid("query must be a non-empty string of at most 2000 characters", "query");
    }
    if (!(body.getValue("results") instanceof JsonArray results) || results.isEmpty() || results.size() > MAX_RESULTS) {
      throw AgentRequest.invalid("results must be a non-empty array of at most " + MAX_RESULTS + " results", "results");
    }
    for (int i = 0; i < results.size(); i++) {
      if (!(results.getValue(i) instanceof JsonObject result) || !(result.getValue("text") instanceof String)) {
        throw AgentRequest.invalid("results[" + i + "] must be an object with a text string", "results[" + i + "].text");
      }
    }
    JsonObject llm = AgentRequest.llmFields(body, settings);
    int judged = Math.min(results.size(), settings.rerankMaxResults());
    JsonArray head = new JsonArray(new ArrayList<>(results.getList().subList(0, judged)));
    return ask.ask(llm, AgentPrompts.RERANK, AgentPrompts.rerankInput(query, head, MAX_CHARS_PER_PASSAGE),
            output -> SuggestionSchema.scores(output, judged))
        .map(answer -> new JsonObject().put("results", reorder(results, answer.value())).put("model", llm.getString("model")));
  }

  /** Results sorted by score, best first; a stable sort keeps the incoming order among equal scores. */
  static JsonArray reorder(JsonArray results, double[] scores) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -scores[i]));
    JsonArray sorted = new JsonArray();
    for (int i : order) {
      sorted.add(results.getJsonObject(i).copy().put("rerank_score", scores[i]));
    }
    for (int i = scores.length; i < results.size(); i++) {
      sorted.add(results.getValue(i));
    }
    return sorted;
  }
}
