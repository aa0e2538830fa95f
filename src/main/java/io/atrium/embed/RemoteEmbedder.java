package io.atrium.embed;

import io.atrium.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-compatible {@code POST {base_url}/embeddings} endpoint (OpenAI, Ollama, Qwen, vLLM…), non-blocking
 * through the Vert.x web client. Documents go in batches, one batch in flight at a time, so progress stays honest.
 */
public final class RemoteEmbedder implements Embedder {
  private final WebClient client;
  private final String endpoint;
  private final String apiKey;
  private final String model;
  private final int batchSize;
  private final long timeoutMs;
  private final String language;
  private volatile int dimension;

  public RemoteEmbedder(Vertx vertx, String baseUrl, String apiKey, String model, int batchSize, long timeoutMs,
      String language) {
    this.language = language == null || language.isBlank() ? "any" : language;
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("atrium"));
    this.endpoint = baseUrl.replaceAll("/+$", "") + "/embeddings";
    this.apiKey = apiKey;
    this.model = model;
    this.batchSize = Math.max(1, batchSize);
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String model() {
    return "remote:" + model;
  }

  @Override
  public String language() {
    return language;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Future<float[]> embedQuery(String text) {
    return call(List.of(text)).map(List::getFirst);
  }

  @Override
  public Future<List<float[]>> embedDocuments(List<String> texts, ProgressListener progress) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < texts.size(); from += batchSize) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
      chain = chain.compose(v -> call(batch)).map(batchVectors -> {
        vectors.addAll(batchVectors);
        progress.done(vectors.size(), texts.size());
        return null;
      });
    }
    return chain.map(v -> vectors);
  }

  private Future<List<float[]>> call(List<String> texts) {
    var request = client.postAbs(endpoint).timeout(timeoutMs);
    if (apiKey != null && !apiKey.isBlank()) {
      request.bearerTokenAuthentication(apiKey);
    }
    JsonObject body = new JsonObject().put("model", model).put("input", new JsonArray(new ArrayList<>(texts)));
    return request.sendJsonObject(body)
        .recover(e -> Future.failedFuture(ErrorCode.UNAVAILABLE.exception("embedding endpoint unreachable: " + e.getMessage())))
        .compose(response -> parse(response, texts.size()));
  }

  private Future<List<float[]>> parse(HttpResponse<Buffer> response, int expected) {
    if (response.statusCode() != 200) {
      ErrorCode code = response.statusCode() >= 500 || response.statusCode() == 429 ? ErrorCode.UNAVAILABLE : ErrorCode.UNPROCESSABLE;
      return Future.failedFuture(code.exception("embedding endpoint answered " + response.statusCode()));
    }
    try {
      JsonArray data = response.bodyAsJsonObject().getJsonArray("data");
      if (data == null || data.size() != expected) {
        return Future.failedFuture(ErrorCode.UNAVAILABLE.exception("embedding endpoint returned a malformed answer"));
      }
      float[][] vectors = new float[expected][];
      for (int i = 0; i < data.size(); i++) {
        JsonObject item = data.getJsonObject(i);
        JsonArray values = item.getJsonArray("embedding");
        float[] vector = new float[values.size()];
        for (int j = 0; j < vector.length; j++) {
          vector[j] = values.getNumber(j).floatValue();
        }
        vectors[item.getInteger("index", i)] = Embedder.normalize(vector);
      }
      dimension = vectors[0].length;
      return Future.succeededFuture(List.of(vectors));
    } catch (RuntimeException e) {
      return Future.failedFuture(ErrorCode.UNAVAILABLE.exception("embedding endpoint returned a malformed answer: " + e.getMessage()));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
