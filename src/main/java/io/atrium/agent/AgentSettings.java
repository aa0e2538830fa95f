package io.atrium.agent;

import io.atrium.config.ChatDeadline;
import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/**
 * The {@code agent:} section: which provider and model answer when a request names none, how many times a model
 * may try to produce valid output, and how much of a task's or resource's text goes into the prompt; a model call
 * waits as long as chat may take to answer it.
 */
record AgentSettings(String provider, String model, int maxAttempts, int contextChunks, int contextChars,
    long llmTimeoutMs, int rerankMaxResults) {

  /** {@code config} holds the agent section and the chat section that bounds a model call. */
  static AgentSettings fromJson(JsonObject config) {
    ConfigSection agent = ConfigSection.of(config, "agent");
    return new AgentSettings(
        agent.string("provider"),
        agent.string("model"),
        Math.max(1, agent.integer("max_attempts")),
        Math.max(1, agent.integer("context_chunks")),
        Math.max(500, agent.integer("context_chars")),
        ChatDeadline.ms(ConfigSection.of(config, "chat")),
        Math.max(1, agent.integer("rerank_max_results")));
  }
}
