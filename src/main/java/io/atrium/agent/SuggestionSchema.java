package io.atrium.agent;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a model's answer must be before atrium stores it. Small, fixable slips are repaired (a code fence around the
 * JSON, "high" for "High", a tag with a leading '#'); anything else is an {@link InvalidOutput} naming the problem,
 * which the agent sends back to the model once before giving up. Nothing half-formed ever comes out of here.
 */
final class SuggestionSchema {
  static final int MAX_SUBTASKS = 20;
  static final int MAX_TAGS = 12;
  static final int MAX_TITLE = 200;
  static final int MAX_TAG = 40;
  private static final Pattern FENCED = Pattern.compile("```(?:json)?\\s*(.*?)```", Pattern.DOTALL);
  private static final Map<String, String> PRIORITIES = Map.of(
      "high", "High", "medium", "Medium", "low", "Low",
      "高", "High", "中", "Medium", "低", "Low");

  /** Why a model's output was refused; the message is written for the model as much as for the log. */
  static final class InvalidOutput extends Exception {
    InvalidOutput(String message) {
      super(message, null, false, false);
    }
  }

  private SuggestionSchema() {
  }

  /** {@code {"suggested_subtasks": [{"title", "priority"}]}}: 1..20 distinct non-empty titles, High/Medium/Low. */
  static JsonArray subtasks(String modelOutput) throws InvalidOutput {
    JsonObject json = object(modelOutput);
    Object list = json.getValue("suggested_subtasks", json.getValue("subtasks"));
    if (!(list instanceof JsonArray items) || items.isEmpty()) {
      throw new InvalidOutput("the JSON object must have a non-empty array \"suggested_subtasks\"");
    }
    Map<String, JsonObject> byTitle = new LinkedHashMap<>();
    for (Object item : items) {
      if (!(item instanceof JsonObject subtask)) {
        throw new InvalidOutput("each item of \"suggested_subtasks\" must be an object {\"title\", \"priority\"}");
      }
      String title = subtask.getValue("title") instanceof String text ? text.strip().replaceAll("\\s+", " ") : "";
      if (title.isEmpty()) {
        throw new InvalidOutput("every subtask needs a non-empty \"title\" string");
      }
      if (title.length() > MAX_TITLE) {
        title = title.substring(0, MAX_TITLE).strip();
      }
      String priority = subtask.getValue("priority") instanceof String text
          ? PRIORITIES.get(text.strip().toLowerCase(Locale.ROOT)) : null;
      if (priority == null) {
        throw new InvalidOutput("\"priority\" of \"" + title + "\" must be one of High, Medium, Low");
      }
      byTitle.putIfAbsent(title.toLowerCase(Locale.ROOT), new JsonObject().put("title", title).put("priority", priority));
    }
    JsonArray result = new JsonArray();
    byTitle.values().stream().limit(MAX_SUBTASKS).forEach(result::add);
    return result;
  }

  /** {@code {"suggested_tags": ["…"]}}: 1..12 tags, trimmed, without '#', Latin letters lower-cased, deduplicated. */
  static JsonArray tags(String modelOutput) throws InvalidOutput {
    JsonObject json = object(modelOutput);
    Object list = json.getValue("suggested_tags", json.getValue("tags"));
    if (!(list instanceof JsonArray items) || items.isEmpty()) {
      throw new InvalidOutput("the JSON object must have a non-empty array \"suggested_tags\" of strings");
    }
    Map<String, String> seen = new LinkedHashMap<>();
    for (Object item : items) {
      if (!(item instanceof String raw)) {
        throw new InvalidOutput("every item of \"suggested_tags\" must be a string");
      }
      String tag = normaliseTag(raw);
      if (!tag.isEmpty()) {
        seen.putIfAbsent(tag, tag);
      }
    }
    if (seen.isEmpty()) {
      throw new InvalidOutput("\"suggested_tags\" holds no usable tag");
    }
    JsonArray result = new JsonArray();
    seen.values().stream().limit(MAX_TAGS).forEach(result::add);
    return result;
  }

  static String normaliseTag(String raw) {
    String tag = raw.strip();
    while (tag.startsWith("#")) {
      tag = tag.substring(1).strip();
    }
    tag = tag.replaceAll("[\\p{Cntrl}]", "").replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    return tag.length() > MAX_TAG ? tag.substring(0, MAX_TAG).strip() : tag;
  }

  /** {@code {"scores": [n, …]}} with one number 0..10 per candidate, in order. */
  static double[] scores(String modelOutput, int expected) throws InvalidOutput {
    JsonObject json = object(modelOutput);
    if (!(json.getValue("scores") instanceof JsonArray items) || items.size() != expected) {
      throw new InvalidOutput("the JSON object must have an array \"scores\" with exactly " + expected + " numbers");
    }
    double[] scores = new double[expected];
    for (int i = 0; i < expected; i++) {
      if (!(items.getValue(i) instanceof Number number) || number.doubleValue() < 0 || number.doubleValue() > 10) {
        throw new InvalidOutput("score " + (i + 1) + " must be a number from 0 to 10");
      }
      scores[i] = number.doubleValue();
    }
    return scores;
  }

  /** The JSON object in a model's answer, also when it wrapped it in a code fence or a sentence. */
  static JsonObject object(String modelOutput) throws InvalidOutput {
    String text = modelOutput == null ? "" : modelOutput.strip();
    Matcher fenced = FENCED.matcher(text);
    if (fenced.find()) {
      text = fenced.group(1).strip();
    }
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start < 0 || end <= start) {
      throw new InvalidOutput("the answer must be one JSON object and nothing else");
    }
    try {
      return new JsonObject(text.substring(start, end + 1));
    } catch (DecodeException e) {
      throw new InvalidOutput("the answer is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
