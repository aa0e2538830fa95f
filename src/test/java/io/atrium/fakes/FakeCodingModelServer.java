package io.atrium.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local model server that the real coding CLIs run against: the Anthropic Messages API as Claude Code calls it
 * ({@code HEAD /}, {@code POST /v1/messages?beta=true}, count_tokens, models) and the OpenAI chat-completions API as
 * OpenCode calls it ({@code POST /v1/chat/completions}, {@code GET /v1/models}); shapes from
 * {@code ../shared/data/claude-code-capture} and {@code opencode-capture}.
 *
 * <p>Unscripted, every model request is answered with text that proves what context arrived:
 * {@code "Answer <n>: seen <u> user turns; last: <text>"}. Each {@link Turn} queued in {@link #script} is used up by
 * the next model request instead: a tool call, an error status, a slow stream, a hang.
 */
public final class FakeCodingModelServer {
  /** The key the fake accepts unless another is given. */
  public static final String KEY = "sk-test-atrium-coding-5d1f08c2b7e94a36";

  /** The command of {@link Turn#toolUse()}; its output proves the CLI really ran the tool. */
  public static final String TOOL_COMMAND = "echo tool-ran-ok";

  /** The answer to a side request (OpenCode asking for a session title); it neither counts nor takes a script. */
  public static final String SIDE_ANSWER = "Fake session title";

  private static final Set<String> MODEL_PATHS = Set.of("/v1/messages", "/v1/chat/completions");

  /** One request as received; {@code body} is empty when there was none or it was not JSON. */
  public record Received(String method, String path, String query, MultiMap headers, JsonObject body) {
    public boolean isModelRequest() {
      return "POST".equals(method) && MODEL_PATHS.contains(path);
    }
  }

  /** What the fake does with one model request instead of its default answer. */
  public sealed interface Turn {
    /** This text instead of the default answer. */
    record Text(String text) implements Turn {
    }

    /** A call of the CLI's shell tool ({@code Bash} / {@code bash}) that runs {@code command}. */
    record ToolUse(String command) implements Turn {
    }

    /** That status with the provider's own error body (429 also with {@code retry-after}). */
    record Failure(int status) implements Turn {
    }

    /** The default answer preceded by {@code deltas} text deltas, {@code delayMs} apart: long enough to cancel. */
    record Slow(int deltas, long delayMs) implements Turn {
    }

    /** Takes the request and never answers. */
    record Hang() implements Turn {
    }

    static Turn text(String text) {
      return new Text(text);
    }

    static Turn toolUse() {
      return new ToolUse(TOOL_COMMAND);
    }

    static Turn failure(int status) {
      return new Failure(status);
    }

    static Turn slow(int deltas, long delayMs) {
      return new Slow(deltas, delayMs);
    }

    static Turn hang() {
      return new Hang();
    }
  }

  public final List<Received> received = new CopyOnWriteArrayList<>();
  public final ConcurrentLinkedDeque<Turn> script = new ConcurrentLinkedDeque<>();
  /**
   * While non-zero, every model request (side requests too) is answered with this error status and scripts wait:
   * a lasting outage, for clients that retry (OpenCode retries 429 and 5xx on its own).
   */
  public volatile int outage;
  /** Model requests taken, scripted or not (the n of "Answer n"); side requests and outage refusals do not count. */
  public final AtomicInteger answers = new AtomicInteger();
  /** Responses the client closed before the fake ended them: a cancelled stream, a hung request given up. */
  public final AtomicInteger clientHangUps = new AtomicInteger();

  private final Vertx vertx;
  private final String key;
  private HttpServer server;

  public FakeCodingModelServer(Vertx vertx) {
    this(vertx, KEY);
  }

  public FakeCodingModelServer(Vertx vertx, String key) {
    this.vertx = vertx;
    this.key = key;
  }

  public int start() {
    server = vertx.createHttpServer().requestHandler(request -> request.body()
        .onSuccess(body -> handle(request, body))).listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  public void stop() {
    if (server != null) {
      server.close().await();
    }
  }

  public int port() {
    return server.actualPort();
  }

  /** For {@code ANTHROPIC_BASE_URL}: the SDK appends {@code /v1/messages} itself. */
  public String anthropicBaseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** For an OpenAI-compatible {@code baseURL}: clients append {@code /chat/completions}. */
  public String openAiBaseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public String key() {
    return key;
  }

  /** Queues {@code turn} for the next model request not yet scripted. */
  public FakeCodingModelServer then(Turn turn) {
    script.add(turn);
    return this;
  }

  public List<Received> modelRequests() {
    return received.stream().filter(Received::isModelRequest).toList();
  }

  /** The text the fake answers, unscripted, to model request {@code n}. */
  public static String defaultAnswer(int n, int userTurns, String lastUserText) {
    return "Answer " + n + ": seen " + userTurns + " user turns; last: " + lastUserText;
  }

  private void handle(HttpServerRequest request, Buffer body) {
    String text = body.toString().trim();
    JsonObject json = text.startsWith("{") ? new JsonObject(text) : new JsonObject();
    received.add(new Received(request.method().name(), request.path(), request.query(),
        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json));
    HttpServerResponse response = request.response();
    response.closeHandler(closed -> {
      if (!response.ended()) {
        clientHangUps.incrementAndGet();
      }
    });
    String path = request.path();
    boolean anthropic = request.headers().contains("anthropic-version") || path.startsWith("/v1/messages");
    CodingWire wire = anthropic ? AnthropicWire.INSTANCE : ChatCompletionsWire.INSTANCE;
    if (request.method() == HttpMethod.HEAD && path.equals("/")) {
      response.setStatusCode(404).end(); // what api.anthropic.com answers to Claude Code's connectivity probe
    } else if (!wire.keyAccepted(request, key)) {
      sendError(response, wire, 401);
    } else if (request.method() == HttpMethod.POST && MODEL_PATHS.contains(path)) {
      answer(response, wire, json);
    } else if (request.method() == HttpMethod.POST && path.equals("/v1/messages/count_tokens")) {
      sendJson(response, 200, new JsonObject().put("input_tokens", AnthropicWire.roughTokens(json)));
    } else if (request.method() == HttpMethod.GET && path.equals("/v1/models")) {
      sendJson(response, 200, wire.models());
    } else {
      sendJson(response, 404, wire.error(404, "Not found: " + request.method() + " " + path));
    }
  }

  private void answer(HttpServerResponse response, CodingWire wire, JsonObject request) {
    String model = request.getString("model", "fake-model");
    boolean stream = request.getBoolean("stream", false);
    if (outage != 0) {
      sendError(response, wire, outage);
      return;
    }
    if (wire.isSideRequest(request)) {
      send(response, wire.text(model, List.of(SIDE_ANSWER)), stream, 0);
      return;
    }
    int n = answers.incrementAndGet();
    Turn turn = script.poll();
    UserTurns.Seen seen = wire.seen(request);
    String defaultText = defaultAnswer(n, seen.userTurns(), seen.lastUserText());
    switch (turn) {
      case Turn.Hang hang -> {
        // taken and left open: the client's timeout or cancel is what the test watches
      }
      case Turn.Failure failure -> sendError(response, wire, failure.status());
      case Turn.ToolUse toolUse -> {
        CodingWire.Reply reply = wire.toolUse(model, toolUse.command());
        send(response, reply, stream, 0);
      }
      case Turn.Slow slow -> {
        List<String> pieces = new ArrayList<>();
        for (int i = 1; i <= slow.deltas(); i++) {
          pieces.add("slow " + i + " ");
        }
        pieces.add(defaultText);
        send(response, wire.text(model, pieces), stream, slow.delayMs());
      }
      case Turn.Text scripted -> send(response, wire.text(model, CodingWire.pieces(scripted.text())), stream, 0);
      case null -> send(response, wire.text(model, CodingWire.pieces(defaultText)), stream, 0);
    }
  }

  private void send(HttpServerResponse response, CodingWire.Reply reply, boolean stream, long delayMs) {
    if (!stream) {
      sendJson(response, 200, reply.whole());
      return;
    }
    response.setStatusCode(200).putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache").setChunked(true);
    writeFrom(response, reply.events(), 0, delayMs);
  }

  /** One event per network write, so the client sees deltas arrive apart, as from a real model. */
  private void writeFrom(HttpServerResponse response, List<String> events, int index, long delayMs) {
    if (response.closed()) {
      return;
    }
    if (index == events.size()) {
      response.end();
      return;
    }
    response.write(events.get(index));
    if (delayMs > 0) {
      vertx.setTimer(delayMs, id -> writeFrom(response, events, index + 1, delayMs));
    } else {
      writeFrom(response, events, index + 1, 0);
    }
  }

  private static void sendError(HttpServerResponse response, CodingWire wire, int status) {
    if (status == 429) {
      response.putHeader("retry-after", "1");
    }
    sendJson(response, status, wire.error(status, null));
  }

  private static void sendJson(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
