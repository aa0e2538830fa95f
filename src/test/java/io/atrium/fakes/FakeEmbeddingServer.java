package io.atrium.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code POST /v1/embeddings} endpoint (the wire format of OpenAI, Ollama and Qwen): answers
 * {@code {"object":"list","data":[{"object":"embedding","index":i,"embedding":[…]}],"model":…,"usage":…}} with
 * vectors of word-hash counts, or 503 while it is told to be down.
 */
public final class FakeEmbeddingServer {
  public static final int DIMENSION = 64;

  public final AtomicBoolean down = new AtomicBoolean();
  public final AtomicInteger failuresBeforeUp = new AtomicInteger();
  public final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  public int start(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/v1/embeddings").handler(BodyHandler.create()).handler(ctx -> {
      requests.incrementAndGet();
      if (down.get() || failuresBeforeUp.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", new JsonObject().put("message", "overloaded").put("type", "server_error")).encode());
        return;
      }
      JsonObject body = ctx.body().asJsonObject();
      JsonArray input = body.getValue("input") instanceof JsonArray array ? array : new JsonArray().add(body.getString("input"));
      JsonArray data = new JsonArray();
      int tokens = 0;
      for (int i = 0; i < input.size(); i++) {
        String text = input.getString(i);
        tokens += text.split("\\s+").length;
        data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", vector(text)));
      }
      ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
          .put("object", "list").put("data", data).put("model", body.getString("model"))
          .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens)).encode());
    });
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  public void stop() {
    if (server != null) {
      server.close().await();
    }
  }

  private static JsonArray vector(String text) {
    double[] counts = new double[DIMENSION];
    for (String word : text.toLowerCase().split("\\W+")) {
      if (!word.isEmpty()) {
        counts[Math.floorMod(word.hashCode(), DIMENSION)] += 1;
      }
    }
    JsonArray vector = new JsonArray();
    for (double count : counts) {
      vector.add(count);
    }
    return vector;
  }
}
