package io.atrium.media;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TMDB v3 (search/movie, search/tv, movie and tv details) over vertx-web-client: every call waits for a permit of
 * the {@link RateLimiter}, goes through one circuit breaker, is retried with backoff on 429 (honouring Retry-After)
 * and 5xx, and a successful answer is cached (LRU) so the same show's episodes cost one search.
 * The key goes as {@code api_key} or the token as {@code Authorization: Bearer}; neither is ever logged.
 */
final class TmdbClient {
  private static final Logger LOG = LoggerFactory.getLogger(TmdbClient.class);

  private final Vertx vertx;
  private final MediaSettings.TmdbSettings settings;
  private final WebClient web;
  private final RateLimiter limiter;
  private final CircuitBreaker breaker;
  private final Map<String, Future<JsonObject>> cache;

  TmdbClient(Vertx vertx, MediaSettings.TmdbSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) Math.min(settings.timeoutMs(), 10_000))
        .setUserAgent("atrium"));
    this.limiter = new RateLimiter(vertx, settings.requestsPerSecond());
    this.breaker = CircuitBreaker.create("atrium-tmdb", vertx, new CircuitBreakerOptions()
        .setMaxFailures(settings.breakerMaxFailures())
        .setResetTimeout(settings.breakerResetMs())
        .setTimeout(-1)
        .setMaxRetries(0)
        .setNotificationAddress(null));
    this.cache = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Future<JsonObject>> eldest) {
        return size() > settings.cacheEntries();
      }
    };
  }

  Future<JsonArray> searchMovie(String query, Integer year) {
    return get("/search/movie", Map.of("query", query, "include_adult", "false", "year", year == null ? "" : year.toString()))
        .map(answer -> answer.getJsonArray("results", new JsonArray()));
  }

  Future<JsonArray> searchTv(String query, Integer firstAirYear) {
    return get("/search/tv", Map.of("query", query, "include_adult", "false",
        "first_air_date_year", firstAirYear == null ? "" : firstAirYear.toString()))
        .map(answer -> answer.getJsonArray("results", new JsonArray()));
  }

  Future<JsonObject> movie(long id) {
    return get("/movie/" + id, Map.of());
  }

  Future<JsonObject> tv(long id) {
    return get("/tv/" + id, Map.of());
  }

  /**
   * One GET of {@code path}: cached (a lookup in flight is shared, so a season's episodes arriving together cost one
   * request), else rate limited, broken-circuit aware and retried. Failures are not cached.
   */
  private Future<JsonObject> get(String path, Map<String, String> query) {
    String key = path + "?" + new TreeMap<>(query);
    Future<JsonObject> cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Future<JsonObject> answer = attempt(path, query, 1);
    cache.put(key, answer);
    return answer.onFailure(e -> cache.remove(key, answer));
  }

  private Future<JsonObject> attempt(String path, Map<String, String> query, int attempt) {
    return limiter.acquire()
        .compose(permit -> breaker.<Outcome>execute(promise -> send(path, query)
            .onSuccess(response -> {
              Outcome outcome = Outcome.of(response);
              if (response.statusCode() >= 500) {
                promise.fail(new TmdbFailure(TmdbFailure.Kind.UNAVAILABLE, "TMDB answered " + response.statusCode()));
              } else {
                promise.complete(outcome);
              }
            })
            .onFailure(e -> promise.fail(new TmdbFailure(TmdbFailure.Kind.UNAVAILABLE, "TMDB unreachable: " + e.getMessage())))))
        .recover(e -> Future.succeededFuture(Outcome.failed(e instanceof OpenCircuitException
            ? new TmdbFailure(TmdbFailure.Kind.UNAVAILABLE, "TMDB is failing: circuit open, next try in up to "
                + settings.breakerResetMs() / 1000 + " s")
            : e instanceof TmdbFailure failure ? failure : new TmdbFailure(TmdbFailure.Kind.UNAVAILABLE, String.valueOf(e.getMessage())))))
        .compose(outcome -> {
          if (outcome.answer() != null) {
            return Future.succeededFuture(outcome.answer());
          }
          TmdbFailure failure = outcome.failure();
          boolean retryable = failure.kind == TmdbFailure.Kind.UNAVAILABLE && !failure.getMessage().contains("circuit open");
          if (!retryable || attempt >= settings.maxAttempts()) {
            return Future.failedFuture(failure);
          }
          long wait = outcome.retryAfterMs() != null ? outcome.retryAfterMs() : backoff(attempt);
          if (wait > settings.maxRetryWaitMs()) {
            return Future.failedFuture(failure);
          }
          LOG.info("TMDB {} failed ({}), try {} of {} in {} ms", path, failure.getMessage(), attempt + 1,
              settings.maxAttempts(), wait);
          return vertx.timer(Math.max(1, wait)).compose(v -> attempt(path, query, attempt + 1));
        });
  }

  private Future<HttpResponse<Buffer>> send(String path, Map<String, String> query) {
    HttpRequest<Buffer> request = web.getAbs(settings.baseUrl() + path).timeout(settings.timeoutMs())
        .addQueryParam("language", settings.language());
    query.forEach((name, value) -> {
      if (!value.isEmpty()) {
        request.addQueryParam(name, value);
      }
    });
    if (settings.bearerToken() != null) {
      request.putHeader("Authorization", "Bearer " + settings.bearerToken());
    } else if (settings.apiKey() != null) {
      request.addQueryParam("api_key", settings.apiKey());
    }
    return request.send();
  }

  private long backoff(int attempt) {
    long base = settings.retryBackoffMs() << Math.min(attempt - 1, 10);
    return base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
  }

  Future<Void> close() {
    breaker.close();
    web.close();
    return Future.succeededFuture();
  }

  /** A 2xx answer, or a failure (with the wait a 429 asked for). */
  private record Outcome(JsonObject answer, TmdbFailure failure, Long retryAfterMs) {
    static Outcome failed(TmdbFailure failure) {
      return new Outcome(null, failure, null);
    }

    static Outcome of(HttpResponse<Buffer> response) {
      int status = response.statusCode();
      String message = statusMessage(response);
      if (status / 100 == 2) {
        try {
          return new Outcome(response.bodyAsJsonObject(), null, null);
        } catch (DecodeException | ClassCastException e) {
          return failed(new TmdbFailure(TmdbFailure.Kind.BAD_RESPONSE, "TMDB answered unreadable JSON"));
        }
      }
      if (status == 429) {
        return new Outcome(null, new TmdbFailure(TmdbFailure.Kind.UNAVAILABLE, "TMDB rate limit (429)" + message),
            retryAfterMs(response.getHeader("retry-after")));
      }
      if (status == 401 || status == 403) {
        return failed(new TmdbFailure(TmdbFailure.Kind.REFUSED, "TMDB refused the API key or token (" + status + ")" + message));
      }
      if (status == 404) {
        return failed(new TmdbFailure(TmdbFailure.Kind.NOT_FOUND, "TMDB has no such entry (404)" + message));
      }
      return failed(new TmdbFailure(status >= 500 ? TmdbFailure.Kind.UNAVAILABLE : TmdbFailure.Kind.BAD_RESPONSE,
          "TMDB answered " + status + message));
    }

    private static String statusMessage(HttpResponse<Buffer> response) {
      try {
        JsonObject body = response.bodyAsJsonObject();
        return body != null && body.getString("status_message") != null ? ": " + body.getString("status_message") : "";
      } catch (RuntimeException e) {
        return "";
      }
    }

    private static Long retryAfterMs(String header) {
      if (header == null) {
        return null;
      }
      try {
        return Math.max(0, Long.parseLong(header.strip())) * 1000;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
