package io.atrium.media;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a file is: the configured LLM answers {title, year, type, season?, episode?} as JSON (validated, cached by
 * normalised name, retried by the LLM client); the rule parser answers when no LLM is configured or the LLM fails.
 * An explicit TMDB id in the name is kept whichever answered.
 */
final class Recognizer {
  private static final Logger LOG = LoggerFactory.getLogger(Recognizer.class);
  static final String PROMPT = """
      You identify movies and TV episodes from messy file names (scene releases, anime fansubs, Chinese names).
      Answer with exactly one JSON object and nothing else:
      {"type": "movie" | "episode", "title": "<title as TMDB would list it, no release tags>", "year": <4-digit year or null>,
       "season": <season number or null>, "episode": <episode number or null>}
      For anime with only an absolute episode number, give that as episode and season null.
      Use the parent folders as hints.""";

  /** A recognition and who made it: "llm" or "rules". */
  record Recognized(Recognition recognition, String source) {
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", recognition.type()).put("title", recognition.title())
          .put("source", source);
      if (recognition.year() != null) {
        json.put("year", recognition.year());
      }
      if (recognition.season() != null) {
        json.put("season", recognition.season());
      }
      if (recognition.episode() != null) {
        json.put("episode", recognition.episode());
      }
      if (recognition.tmdbId() != null) {
        json.put("tmdb_id", recognition.tmdbId());
      }
      return json;
    }
  }

  private final Vertx vertx;
  private final JsonObject llm;
  private final long timeoutMs;
  private final Function<String, Recognition> rules;
  private final Map<String, Recognition> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Recognition> eldest) {
      return size() > 10_000;
    }
  };

  Recognizer(Vertx vertx, JsonObject llm, long timeoutMs, Function<String, Recognition> rules) {
    this.vertx = vertx;
    this.llm = llm;
    this.timeoutMs = timeoutMs;
    this.rules = rules;
  }

  /** The rule parser runs on a worker (a few hundred µs of regexes a name: too long for the event loop). */
  Future<Recognized> recognize(String relativePath) {
    return vertx.executeBlocking(() -> rules.apply(relativePath), false)
        .compose(byRules -> recognize(relativePath, byRules));
  }

  private Future<Recognized> recognize(String relativePath, Recognition byRules) {
    Long explicitId = byRules.tmdbId(); // the rule parser reads [tmdbid-603] and its kin, whoever recognises the rest
    if (!llm.containsKey("provider") || !llm.containsKey("model")) {
      return Future.succeededFuture(new Recognized(byRules, "rules"));
    }
    String key = relativePath.toLowerCase(Locale.ROOT).replaceAll("[\\s._]+", " ").strip();
    Recognition cached = cache.get(key);
    if (cached != null) {
      return Future.succeededFuture(new Recognized(withId(cached, explicitId), "llm"));
    }
    JsonObject request = llm.copy().put("json", true).put("temperature", 0).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", PROMPT))
        .add(new JsonObject().put("role", "user").put("content", relativePath)));
    return Bus.request(vertx, Addresses.LLM_GENERATE, request, timeoutMs)
        .map(reply -> parse(reply.getString("content")))
        .onSuccess(recognition -> cache.put(key, recognition))
        .map(recognition -> new Recognized(withId(recognition, explicitId), "llm"))
        .recover(e -> {
          LOG.info("LLM recognition of {} failed ({}); the rule parser answers", relativePath, e.getMessage());
          return Future.succeededFuture(new Recognized(byRules, "rules"));
        });
  }

  /** The model's JSON, validated: a type, a non-empty title, numbers where numbers belong. */
  static Recognition parse(String content) {
    int start = content == null ? -1 : content.indexOf('{');
    int end = content == null ? -1 : content.lastIndexOf('}');
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("the answer holds no JSON object");
    }
    JsonObject json = new JsonObject(content.substring(start, end + 1));
    String type = json.getString("type", "").toLowerCase(Locale.ROOT);
    if (type.equals("tv") || type.equals("show") || type.equals("series")) {
      type = "episode";
    }
    if (!type.equals("movie") && !type.equals("episode")) {
      throw new IllegalArgumentException("type must be movie or episode");
    }
    String title = json.getValue("title") instanceof String text ? text.strip() : "";
    if (title.isEmpty() || title.length() > 300) {
      throw new IllegalArgumentException("title must be a non-empty string");
    }
    Integer year = number(json, "year", 1870, 2200);
    Integer season = number(json, "season", 0, 1000);
    Integer episode = number(json, "episode", 0, 100_000);
    return new Recognition(type, title, year, "movie".equals(type) ? null : season, "movie".equals(type) ? null : episode, null);
  }

  private static Integer number(JsonObject json, String field, int min, int max) {
    Object value = json.getValue(field);
    if (value instanceof String text && text.strip().matches("\\d+")) {
      value = Integer.parseInt(text.strip());
    }
    if (!(value instanceof Number number)) {
      return null;
    }
    int n = number.intValue();
    if (n < min || n > max) {
      throw new IllegalArgumentException(field + " is out of range");
    }
    return n;
  }

  private static Recognition withId(Recognition recognition, Long explicitId) {
    if (explicitId == null || explicitId.equals(recognition.tmdbId())) {
      return recognition;
    }
    return new Recognition(recognition.type(), recognition.title(), recognition.year(), recognition.season(),
        recognition.episode(), explicitId);
  }
}
