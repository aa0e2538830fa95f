package io.atrium.chat;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Calls LLM providers without blocking: one whole answer ({@link #complete}) or a stream of deltas
 * ({@link #stream}), in the endpoint's wire format. Every call goes through the circuit breaker of its base URL
 * (5xx answers, refused connections and timeouts count; 4xx and 429 do not: the endpoint is up); 429 and 5xx are
 * retried with exponential backoff or after the provider's Retry-After, unless that wait is longer than
 * {@code max_retry_wait_ms}, in which case the caller gets the 429 with the hint at once. Every failure is an
 * {@link LlmFailure} whose text never contains the key. A plain class owned by the chat verticle: other verticles
 * (agent, media) reach models only through {@code atrium.llm.generate}, so one set of breakers guards each provider.
 *
 * <p>Whole answers go through vertx-web-client. Streams use the {@link HttpClient} underneath it directly: a
 * web-client body codec sees the body before the status, and a stream must know the status first (an error status
 * has a JSON body, not events) and must start forwarding deltas before the body ends.
 */
public final class LlmClient {
  private static final int MAX_BREAKERS = 256;

  private final Vertx vertx;
  private final LlmSettings settings;
  private final HttpClient http;
  private final WebClient web;
  private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CircuitBreaker> eldest) {
      if (size() > MAX_BREAKERS) {
        eldest.getValue().close();
        return true;
      }
      return false;
    }
  };

  public LlmClient(Vertx vertx, LlmSettings settings, int maxConnectionsPerHost) {
    this.vertx = vertx;
    this.settings = settings;
    this.http = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) settings.connectTimeoutMs())
            .setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(maxConnectionsPerHost));
    this.web = WebClient.wrap(http);
  }

  /** One whole answer. */
  public Future<LlmReply> complete(LlmRequest request) {
    Endpoint endpoint = request.endpoint();
    WireFormat wire = wire(endpoint);
    Buffer body = wire.body(request, false).toBuffer();
    MultiMap headers = headers(wire, endpoint);
    return this.<Buffer>withRetries(endpoint, 1, () -> web.requestAbs(HttpMethod.POST, url(request, wire, false))
            .putHeaders(headers)
            .timeout(settings.timeoutMs())
            .sendBuffer(body)
            .compose(response -> response.statusCode() / 100 == 2
                ? Future.succeededFuture(Attempt.of(response.bodyAsBuffer()))
                : refusal(endpoint, wire, response.statusCode(), response.headers(), response.bodyAsString())),
        () -> false)
        .map(buffer -> WireFormat.reading(endpoint.provider(),
            () -> wire.reply(WireFormat.parseJson(endpoint.provider(), buffer == null ? "" : buffer.toString()))));
  }

  /**
   * A streamed answer: {@code onDelta} receives each piece of text in order (never an empty one), on the caller's
   * context, after {@link LlmStream#started()} completed.
   */
  public LlmStream stream(LlmRequest request, Consumer<String> onDelta) {
    Endpoint endpoint = request.endpoint();
    WireFormat wire = wire(endpoint);
    Buffer body = wire.body(request, true).toBuffer();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url(request, wire, true))
        .setHeaders(headers(wire, endpoint).add("accept", "text/event-stream"))
        .setConnectTimeout(settings.connectTimeoutMs())
        .setIdleTimeout(settings.timeoutMs());
    LlmStream stream = new LlmStream(endpoint.provider());
    this.<HttpClientResponse>withRetries(endpoint, 1, () -> http.request(options)
            .compose(req -> {
              stream.request(req);
              return req.send(body);
            })
            .compose(response -> {
              if (response.statusCode() / 100 == 2) {
                response.pause();
                return Future.succeededFuture(Attempt.of(response));
              }
              return response.body().compose(error -> refusal(endpoint, wire, response.statusCode(), response.headers(),
                  error.toString()));
            }),
        stream::cancelled)
        .onSuccess(response -> read(endpoint, wire, response, stream, onDelta))
        .onFailure(e -> stream.fail(LlmCall.fromException(endpoint, e, settings.timeoutMs())));
    return stream;
  }

  private void read(Endpoint endpoint, WireFormat wire, HttpClientResponse response, LlmStream stream,
      Consumer<String> onDelta) {
    WireFormat.StreamDecoder decoder = wire.decoder();
    StringBuilder content = new StringBuilder();
    SseParser parser = new SseParser((event, data) -> {
      if (stream.result().isComplete()) {
        return;
      }
      try {
        String delta = WireFormat.reading(endpoint.provider(), () -> decoder.onEvent(event, data));
        if (!delta.isEmpty()) {
          content.append(delta);
          onDelta.accept(delta);
        }
      } catch (LlmFailure failure) {
        stream.abort(failure);
      }
    });
    response.handler(chunk -> {
      try {
        parser.feed(chunk);
      } catch (IllegalStateException tooLarge) {
        stream.abort(WireFormat.malformed(endpoint.provider(), tooLarge.getMessage()));
      }
    });
    response.exceptionHandler(e -> stream.fail(LlmCall.fromException(endpoint, e, settings.timeoutMs())));
    response.endHandler(v -> {
      parser.end();
      if (stream.result().isComplete()) {
        return;
      }
      try {
        decoder.end();
        stream.complete(new LlmReply(content.toString(), decoder.usage()));
      } catch (LlmFailure unreadable) {
        stream.fail(unreadable);
      }
    });
    stream.start();
    response.resume();
  }

  /**
   * Runs {@code call} through the endpoint's breaker, retrying 429 and 5xx answers and failed connections. A call
   * answers an {@link Attempt}: a value, or a refusal that must not count against the breaker.
   */
  private <T> Future<T> withRetries(Endpoint endpoint, int attempt, Supplier<Future<Attempt<T>>> call,
      Supplier<Boolean> cancelled) {
    return breaker(endpoint).<Attempt<T>>execute(call)
        .recover(e -> {
          if (e instanceof OpenCircuitException) {
            return Future.succeededFuture(Attempt.<T>failed(LlmCall.circuitOpen(endpoint, settings.breakerResetMs()), false));
          }
          LlmFailure failure = LlmCall.fromException(endpoint, e, settings.timeoutMs());
          return Future.succeededFuture(Attempt.<T>failed(failure, !failure.timedOut));
        })
        .compose(result -> {
          if (result.failure() == null) {
            return Future.succeededFuture(result.value());
          }
          LlmFailure failure = result.failure();
          if (!result.retryable() || attempt >= settings.maxAttempts() || cancelled.get()) {
            return Future.failedFuture(failure);
          }
          long wait = failure.retryAfterSeconds != null ? failure.retryAfterSeconds * 1000 : backoff(attempt);
          if (wait > settings.maxRetryWaitMs()) {
            return Future.failedFuture(failure);
          }
          return vertx.timer(Math.max(1, wait)).compose(v -> withRetries(endpoint, attempt + 1, call, cancelled));
        });
  }

  /** A 4xx answer is a refusal the breaker does not count; a 5xx fails the breaker's call. */
  private static <T> Future<Attempt<T>> refusal(Endpoint endpoint, WireFormat wire, int status, MultiMap headers,
      String body) {
    Long retryAfter = status == 429 || status == 503 ? LlmCall.retryAfterSeconds(headers) : null;
    LlmFailure failure = LlmCall.fromStatus(endpoint, wire, status, body, retryAfter);
    if (status >= 500) {
      return Future.failedFuture(failure);
    }
    return Future.succeededFuture(Attempt.failed(failure, status == 429));
  }

  private long backoff(int attempt) {
    long base = settings.retryBackoffMs() << Math.min(attempt - 1, 10);
    return base + ThreadLocalRandom.current().nextLong(base / 5 + 1);
  }

  private CircuitBreaker breaker(Endpoint endpoint) {
    return breakers.computeIfAbsent(endpoint.baseUrl(), url -> CircuitBreaker.create(
        "atrium-llm " + endpoint.provider().wireName() + " " + url, vertx, new CircuitBreakerOptions()
            .setMaxFailures(settings.breakerMaxFailures())
            .setResetTimeout(settings.breakerResetMs())
            .setTimeout(-1) // timeouts are the HTTP request's own, so a slow stream is not cut by the breaker
            .setMaxRetries(0)
            .setNotificationAddress(null)));
  }

  private WireFormat wire(Endpoint endpoint) {
    return WireFormat.of(endpoint.provider(), settings.anthropicVersion(), settings.anthropicMaxTokens());
  }

  private static MultiMap headers(WireFormat wire, Endpoint endpoint) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json");
    wire.headers(headers, endpoint.apiKey());
    return headers;
  }

  private static String url(LlmRequest request, WireFormat wire, boolean stream) {
    return request.endpoint().baseUrl() + wire.path(request.model(), stream);
  }

  public Future<Void> close() {
    breakers.values().forEach(CircuitBreaker::close);
    breakers.clear();
    return http.close();
  }

  /** One try's outcome: a value, or a failure and whether trying again may help. */
  private record Attempt<T>(T value, LlmFailure failure, boolean retryable) {
    static <T> Attempt<T> of(T value) {
      return new Attempt<>(value, null, false);
    }

    static <T> Attempt<T> failed(LlmFailure failure, boolean retryable) {
      return new Attempt<>(null, failure, retryable);
    }
  }
}
