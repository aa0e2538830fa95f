package io.atrium.sessions;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What one CLI turn has said so far, filled line by line on the sessions verticle's context: the events not yet
 * published (taken by {@link #drainEvents}), the CLI's own session id, the final answer or the CLI's error.
 */
final class TurnOutput {
  /** The CLI's error as it reported it: the provider's HTTP status (0 when none) and its message. */
  record CliError(int status, String message) {
  }

  private final List<JsonObject> events = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private String sessionId;
  private JsonObject result;
  private CliError error;
  private boolean streamedText;
  private boolean started;
  private final JsonObject usage = new JsonObject();
  private double cost;

  void event(String kind, JsonObject fields) {
    events.add(fields.copy().put("kind", kind));
  }

  /** A piece of the answer as it streams. */
  void textDelta(String delta) {
    if (delta != null && !delta.isEmpty()) {
      streamedText = true;
      text.append(delta);
      event("text", new JsonObject().put("delta", delta));
    }
  }

  /** A whole text block; published only when its deltas were not (a CLI run without partial messages). */
  void wholeText(String block) {
    if (!streamedText && block != null && !block.isEmpty()) {
      text.append(block);
      event("text", new JsonObject().put("delta", block));
    }
  }

  /** A new message of the model begins: its text blocks stream again. */
  void messageStarted(boolean deltasFollow) {
    streamedText = deltasFollow;
  }

  void sessionId(String id) {
    if (sessionId == null && id != null && !id.isBlank()) {
      sessionId = id;
    }
  }

  void result(JsonObject finalAnswer) {
    result = finalAnswer;
    event("result", finalAnswer);
  }

  void error(int status, String message) {
    error = new CliError(status, message);
    event("error", new JsonObject().put("status", status).put("message", message));
  }

  boolean started() {
    return started;
  }

  void started(boolean value) {
    started = value;
  }

  /** Adds a step's token counts (numbers summed field by field, nested objects too) and cost. */
  void addUsage(JsonObject tokens, Object stepCost) {
    if (tokens != null) {
      add(usage, tokens);
    }
    if (stepCost instanceof Number number) {
      cost += number.doubleValue();
    }
  }

  private static void add(JsonObject into, JsonObject more) {
    more.forEach(entry -> {
      if (entry.getValue() instanceof Number number) {
        Object known = into.getValue(entry.getKey());
        into.put(entry.getKey(), (known instanceof Number sum ? sum.longValue() : 0L) + number.longValue());
      } else if (entry.getValue() instanceof JsonObject nested) {
        JsonObject sum = into.getValue(entry.getKey()) instanceof JsonObject known ? known : new JsonObject();
        add(sum, nested);
        into.put(entry.getKey(), sum);
      }
    });
  }

  JsonObject usage() {
    return usage.copy();
  }

  double cost() {
    return cost;
  }

  List<JsonObject> drainEvents() {
    List<JsonObject> drained = List.copyOf(events);
    events.clear();
    return drained;
  }

  String sessionId() {
    return sessionId;
  }

  JsonObject result() {
    return result;
  }

  CliError error() {
    return error;
  }

  /** The answer's text as streamed, for a CLI whose result line does not repeat it. */
  String text() {
    return text.toString();
  }
}
