package io.atrium.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local TMDB v3 built from the real examples in ../shared/data/tmdb: its catalogue is the entries of the recorded
 * search/movie and search/tv answers and the recorded details (Star Wars 11, Riddick 87421, Game of Thrones 1399,
 * Breaking Bad 1396). Searches match every query word against titles, as TMDB does, and answer in its paging shape;
 * a wrong key gets TMDB's documented 401 body. It can be made to rate-limit (429 with Retry-After) or to be down.
 */
public final class FakeTmdbServer {
  public static final String KEY = "tmdb-test-key-5a8e1c";
  private static final Path ROOT = Path.of(System.getProperty("atrium.shared", "../shared")).resolve("data/tmdb");

  /** Arrival time (nanoTime) and path of every request. */
  public record Received(long atNanos, String path, String query) {
  }

  public final List<Received> received = new CopyOnWriteArrayList<>();
  public final AtomicBoolean down = new AtomicBoolean();
  /** The next n requests get 429 with Retry-After: 1. */
  public final AtomicInteger rateLimitNext = new AtomicInteger();

  private final Vertx vertx;
  private final List<JsonObject> movies = new ArrayList<>();
  private final List<JsonObject> shows = new ArrayList<>();
  private final JsonObject errors;
  private HttpServer server;

  public FakeTmdbServer(Vertx vertx) {
    this.vertx = vertx;
    json("search_movie.example.json").getJsonArray("results").forEach(r -> movies.add((JsonObject) r));
    movies.add(json("movie_details.example.json"));
    movies.add(json("php-tmdb-fixtures/movie/all.json"));
    json("search_tv.example.json").getJsonArray("results").forEach(r -> shows.add((JsonObject) r));
    shows.add(json("tv_series_details.example.json"));
    errors = json("errors-documented.json");
  }

  public int start() {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/3";
  }

  public void stop() {
    server.close().await();
  }

  private void handle(HttpServerRequest request) {
    received.add(new Received(System.nanoTime(), request.path(), request.query()));
    if (down.get()) {
      request.response().setStatusCode(503).end("<html>Service Unavailable</html>");
      return;
    }
    if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      answer(request, 429, new JsonObject().put("success", false).put("status_code", 25)
          .put("status_message", "Your request count (41) is over the allowed limit of (40)."), "1");
      return;
    }
    boolean keyOk = KEY.equals(request.getParam("api_key")) || ("Bearer " + KEY).equals(request.getHeader("authorization"));
    if (!keyOk) {
      answer(request, 401, errors.getJsonObject("401_invalid_api_key").getJsonObject("body"), null);
      return;
    }
    String path = request.path();
    if (path.equals("/3/search/movie")) {
      answer(request, 200, page(search(movies, "title", "original_title", "release_date", request.getParam("query"),
          request.getParam("year"))), null);
    } else if (path.equals("/3/search/tv")) {
      answer(request, 200, page(search(shows, "name", "original_name", "first_air_date", request.getParam("query"),
          request.getParam("first_air_date_year"))), null);
    } else if (path.startsWith("/3/movie/")) {
      details(request, movies, path.substring("/3/movie/".length()));
    } else if (path.startsWith("/3/tv/")) {
      details(request, shows, path.substring("/3/tv/".length()));
    } else {
      answer(request, 404, errors.getJsonObject("404_not_found").getJsonObject("body"), null);
    }
  }

  private void details(HttpServerRequest request, List<JsonObject> catalogue, String id) {
    for (JsonObject entry : catalogue) {
      if (String.valueOf(entry.getValue("id")).equals(id)) {
        answer(request, 200, entry, null);
        return;
      }
    }
    answer(request, 404, errors.getJsonObject("404_not_found").getJsonObject("body"), null);
  }

  private static JsonArray search(List<JsonObject> catalogue, String titleField, String originalField, String dateField,
      String query, String year) {
    JsonArray results = new JsonArray();
    if (query == null || query.isBlank()) {
      return results;
    }
    String[] words = query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    for (JsonObject entry : catalogue) {
      String titles = (entry.getString(titleField, "") + " " + entry.getString(originalField, "")).toLowerCase(Locale.ROOT);
      boolean all = true;
      for (String word : words) {
        all &= word.isEmpty() || titles.contains(word);
      }
      String date = entry.getString(dateField, "");
      if (all && (year == null || year.isEmpty() || date.startsWith(year))) {
        results.add(entry);
      }
    }
    return results;
  }

  private static JsonObject page(JsonArray results) {
    return new JsonObject().put("page", 1).put("results", results).put("total_pages", 1).put("total_results", results.size());
  }

  private static void answer(HttpServerRequest request, int status, JsonObject body, String retryAfter) {
    var response = request.response().setStatusCode(status).putHeader("content-type", "application/json;charset=utf-8");
    if (retryAfter != null) {
      response.putHeader("retry-after", retryAfter);
    }
    response.end(body.encode());
  }

  private static JsonObject json(String relative) {
    try {
      return new JsonObject(Files.readString(ROOT.resolve(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
