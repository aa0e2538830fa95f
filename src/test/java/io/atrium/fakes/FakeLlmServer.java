package io.atrium.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local stand-in for the LLM providers, replaying recorded real traffic ({@link LlmFixtures}) in each wire format:
 * {@code …/chat/completions} (OpenAI and compatibles), {@code …/v1/messages} (Anthropic), {@code …/models/<m>:
 * generateContent} and {@code :streamGenerateContent?alt=sse} (Gemini). Streams are written one event per network
 * chunk. It checks the key the way each API does (and answers with that API's recorded/documented refusal), records
 * every request, and can be scripted: queued answers, down (5xx), hanging, thinking a while.
 */
public final class FakeLlmServer {
  /** The only key the fake accepts (paths containing {@code /ollama/} need none). */
  public static final String KEY = "sk-test-atrium-7f3a9c1e5b2d40681c9e";

  /** One request as received. */
  public record Received(String path, MultiMap headers, JsonObject body) {
  }

  /** A queued answer: status, headers, body; answered to the next request whatever it is. */
  public record Scripted(int status, Map<String, String> headers, String body) {
  }

  public final List<Received> received = new CopyOnWriteArrayList<>();
  public final ConcurrentLinkedDeque<Scripted> script = new ConcurrentLinkedDeque<>();
  public final AtomicBoolean down = new AtomicBoolean();
  public final AtomicBoolean hang = new AtomicBoolean();
  /** Pause between streamed events (0: as fast as the socket takes them). */
  public volatile long streamDelayMs;
  /** A model thinking, once per answer: silence before a whole answer, or after the first event of a stream. */
  public volatile long thinkMs;
  private HttpServer server;
  private final Vertx vertx;

  public FakeLlmServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public int start() {
    server = vertx.createHttpServer().requestHandler(request -> request.body()
        .onSuccess(body -> handle(request, body))).listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  public String url(String prefix) {
    return "http://127.0.0.1:" + port() + prefix;
  }

  public void stop() {
    if (server != null) {
      server.close().await();
    }
  }

  /** The requests whose path starts with {@code prefix}. */
  public List<Received> receivedUnder(String prefix) {
    return received.stream().filter(r -> r.path().startsWith(prefix)).toList();
  }

  private void handle(HttpServerRequest request, Buffer body) {
    JsonObject json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
    received.add(new Received(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json));
    HttpServerResponse response = request.response();
    if (hang.get()) {
      return;
    }
    Scripted scripted = script.poll();
    if (scripted != null) {
      response.putHeader("content-type", "application/json");
      scripted.headers().forEach(response::putHeader);
      response.setStatusCode(scripted.status()).end(scripted.body());
      return;
    }
    boolean stream = json.getBoolean("stream", false) || request.path().endsWith(":streamGenerateContent");
    if (thinkMs > 0 && !stream) {
      vertx.setTimer(thinkMs, id -> answer(request, response, false));
    } else {
      answer(request, response, stream);
    }
  }

  private void answer(HttpServerRequest request, HttpServerResponse response, boolean stream) {
    String path = request.path();
    if (path.endsWith("/chat/completions")) {
      openAi(request, response, stream);
    } else if (path.endsWith("/v1/messages")) {
      anthropic(request, response, stream);
    } else if (path.contains("/models/") && (path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent"))) {
      gemini(request, response, stream);
    } else {
      response.setStatusCode(404).end("{\"error\":{\"message\":\"no such path\"}}");
    }
  }

  private void openAi(HttpServerRequest request, HttpServerResponse response, boolean stream) {
    boolean keyOk = request.path().contains("/ollama/") || ("Bearer " + KEY).equals(request.getHeader("authorization"));
    if (!keyOk) {
      json(response, 401, LlmFixtures.documentedError("openai", "401").encode());
    } else if (down.get()) {
      json(response, 503, LlmFixtures.documentedError("openai", "500").encode());
    } else if (stream) {
      sse(response, LlmFixtures.cassette("openai/test_run_stream_sync_streams_real_model.yaml", 1).body());
    } else {
      json(response, 200, LlmFixtures.cassette("openai/test_openai_model_without_system_prompt.yaml", 0).body());
    }
  }

  private void anthropic(HttpServerRequest request, HttpServerResponse response, boolean stream) {
    if (!KEY.equals(request.getHeader("x-api-key"))) {
      json(response, 401, LlmFixtures.documentedError("anthropic", "401").encode());
    } else if (down.get()) {
      json(response, 529, LlmFixtures.documentedError("anthropic", "529").encode());
    } else if (stream) {
      sse(response, LlmFixtures.cassette("anthropic/test_anthropic_model_thinking_part_stream.yaml", 0).body());
    } else {
      json(response, 200, LlmFixtures.cassette("anthropic/test_anthropic_model_instructions.yaml", 0).body());
    }
  }

  private void gemini(HttpServerRequest request, HttpServerResponse response, boolean stream) {
    String key = request.getHeader("x-goog-api-key");
    if (!KEY.equals(key)) {
      // the real API echoes the bad key in its debug details; so does the fake, to prove atrium scrubs it
      json(response, 400, LlmFixtures.gemini("googleai/unary-failure-api-key.json")
          .replace("key1234", key == null ? "" : key));
    } else if (down.get()) {
      json(response, 500, "{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\",\"status\":\"INTERNAL\"}}");
    } else if (stream) {
      sse(response, LlmFixtures.cassette("google/test_google_model_stream.yaml", 0).body());
    } else {
      json(response, 200, LlmFixtures.cassette("google/test_google_model.yaml", 0).body());
    }
  }

  private static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  /** Writes the recorded event stream one event (up to and including its blank line) per chunk. */
  private void sse(HttpServerResponse response, String recorded) {
    response.setStatusCode(200).putHeader("content-type", "text/event-stream").setChunked(true);
    List<String> events = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < recorded.length(); i++) {
      boolean lf = recorded.startsWith("\n\n", i);
      boolean crlf = recorded.startsWith("\r\n\r\n", i);
      if (lf || crlf) {
        int end = i + (crlf ? 4 : 2);
        events.add(recorded.substring(start, end));
        start = end;
        i = end - 1;
      }
    }
    if (start < recorded.length()) {
      events.add(recorded.substring(start));
    }
    writeFrom(response, events, 0);
  }

  private void writeFrom(HttpServerResponse response, List<String> events, int index) {
    if (response.closed()) {
      return;
    }
    if (index == events.size()) {
      response.end();
      return;
    }
    response.write(events.get(index));
    long pause = streamDelayMs + (index == 0 ? thinkMs : 0);
    if (pause > 0) {
      vertx.setTimer(pause, id -> writeFrom(response, events, index + 1));
    } else {
      writeFrom(response, events, index + 1);
    }
  }
}
