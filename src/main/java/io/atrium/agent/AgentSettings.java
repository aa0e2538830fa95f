package io.atrium.agent;

import io.vertx.core.json.JsonObject;

/**
 * The {@code agent:} section: which provider and model answer when a request names none, how many times a model
 * may try to produce valid output, and how much of a task's or resource's text goes into the prompt.
 */
record AgentSettings(String provider, String model, int maxAttempts, int contextChunks, int contextChars,
    long llmTimeoutMs, int rerankMaxResults) {

  static AgentSettings fromJson(JsonObject agent) {
    return new AgentSettings(
        agent.getString("provider", "openai"),
        agent.getString("model", "gpt-4o-mini"),
        Math.max(1, agent.getInteger("max_attempts", 2)),
        Math.max(1, agent.getInteger("context_chunks", 8)),
        Math.max(500, agent.getInteger("context_chars", 12_000)),
        agent.getLong("llm_timeout_ms", 300_000L),
        Math.max(1, agent.getInteger("rerank_max_results", 30)));
  }
}
