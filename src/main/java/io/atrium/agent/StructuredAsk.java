package io.atrium.agent;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a model (over {@link Addresses#LLM_GENERATE}, in the provider's JSON mode) for an answer a {@link Parser}
 * accepts. A refused answer goes back to the model with the reason while tries remain; after the last one the
 * result is a {@link AgentFailures.HopelessOutput}. Never returns something the parser did not accept.
 */
final class StructuredAsk {
  private static final Logger LOG = LoggerFactory.getLogger(StructuredAsk.class);

  @FunctionalInterface
  interface Parser<T> {
    T parse(String modelOutput) throws SuggestionSchema.InvalidOutput;
  }

  record Answer<T>(T value, int attempts) {
  }

  private final Vertx vertx;
  private final AgentSettings settings;

  StructuredAsk(Vertx vertx, AgentSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  <T> Future<Answer<T>> ask(JsonObject llm, String system, String input, Parser<T> parser) {
    return ask(llm, new ArrayList<>(List.of(message("system", system), message("user", input))), parser, 1);
  }

  private <T> Future<Answer<T>> ask(JsonObject llm, List<JsonObject> messages, Parser<T> parser, int attempt) {
    JsonObject request = llm.copy().put("messages", new JsonArray(new ArrayList<>(messages))).put("json", true)
        .put("temperature", 0.2);
    return Bus.request(vertx, Addresses.LLM_GENERATE, request, settings.llmTimeoutMs()).compose(reply -> {
      String content = reply.getString("content", "");
      try {
        return Future.succeededFuture(new Answer<>(parser.parse(content), attempt));
      } catch (SuggestionSchema.InvalidOutput invalid) {
        LOG.info("model output refused (attempt {} of {}): {}", attempt, settings.maxAttempts(), invalid.getMessage());
        if (attempt >= settings.maxAttempts()) {
          return Future.failedFuture(new AgentFailures.HopelessOutput(invalid.getMessage(), attempt));
        }
        List<JsonObject> retry = new ArrayList<>(messages);
        retry.add(message("assistant", content));
        retry.add(message("user", AgentPrompts.retry(invalid.getMessage())));
        return ask(llm, retry, parser, attempt + 1);
      }
    });
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }
}
