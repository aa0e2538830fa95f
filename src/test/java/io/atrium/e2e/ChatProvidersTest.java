package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.app.AtriumConfig;
import io.atrium.bus.Addresses;
import io.atrium.fakes.FakeLlmServer;
import io.atrium.fakes.LlmFixtures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /chat/completions} against a fake of every provider family replaying recorded real traffic: the wire
 * formats, streaming, retries, the circuit breaker, error mapping, and keys that never leak.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatProvidersTest {
  static final String KEY = FakeLlmServer.KEY;
  /** What a request that names none of Anthropic's fixed parts sends: the shipped defaults. */
  static final JsonObject SHIPPED_CHAT = AtriumConfig.defaults().getJsonObject("chat");
  static final String SERVER_KEY = "sk-server-side-deepseek-00421337";
  static final String POTATO = "That's right—I am a potato! A spud of many talents, here to help you out. How can this "
      + "humble potato be of service today?";

  FakeLlmServer fake;
  AtriumHarness atrium;
  Path dataDir;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dataDir) {
    this.dataDir = dataDir;
    fake = new FakeLlmServer(vertx);
    fake.start();
    atrium = new AtriumHarness(vertx, dataDir).start(Map.ofEntries(
        Map.entry("ATRIUM_CHAT_OPENAI_BASE_URL", fake.url("/openai/v1")),
        Map.entry("ATRIUM_CHAT_GROK_BASE_URL", fake.url("/grok/v1")),
        Map.entry("ATRIUM_CHAT_DEEPSEEK_BASE_URL", fake.url("/deepseek/v1")),
        Map.entry("ATRIUM_CHAT_QWEN_BASE_URL", fake.url("/qwen/v1")),
        Map.entry("ATRIUM_CHAT_OLLAMA_BASE_URL", fake.url("/ollama/v1")),
        Map.entry("ATRIUM_CHAT_ANTHROPIC_BASE_URL", fake.url("/anthropic")),
        Map.entry("ATRIUM_CHAT_GEMINI_BASE_URL", fake.url("/gemini/v1beta")),
        Map.entry("ATRIUM_CHAT_DEEPSEEK_API_KEY", SERVER_KEY),
        Map.entry("ATRIUM_CHAT_TIMEOUT_MS", "2000"),
        Map.entry("ATRIUM_CHAT_RETRY_BACKOFF_MS", "50"),
        Map.entry("ATRIUM_CHAT_BREAKER_MAX_FAILURES", "3"),
        Map.entry("ATRIUM_CHAT_BREAKER_RESET_MS", "1500")));
  }

  @AfterAll
  void stop() {
    fake.stop();
  }

  @BeforeEach
  void resetFake() {
    fake.received.clear();
    fake.script.clear();
    fake.down.set(false);
    fake.hang.set(false);
    fake.streamDelayMs = 0;
  }

  @Test
  void openAiCompatibleProvidersAnswerInSeedShape() {
    for (String provider : List.of("openai", "grok", "qwen")) {
      HttpResponse<Buffer> response = atrium.post("/chat/completions", ask(provider, "gpt-4o"));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonObject answer = response.bodyAsJsonObject();
      assertThat(answer.getString("content")).isEqualTo(POTATO);
      assertThat(answer.getJsonObject("usage")).isEqualTo(new JsonObject().put("prompt_tokens", 11).put("completion_tokens", 809));
      assertThat(answer.getJsonArray("citations")).isEmpty();
      assertThat(answer.fieldNames()).containsExactlyInAnyOrder("content", "usage", "citations");
      FakeLlmServer.Received sent = only("/" + provider + "/");
      assertThat(sent.path()).isEqualTo("/" + provider + "/v1/chat/completions");
      assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + KEY);
      assertThat(sent.body().getString("model")).isEqualTo("gpt-4o");
      assertThat(sent.body().getJsonArray("messages")).isEqualTo(new JsonArray()
          .add(new JsonObject().put("role", "system").put("content", "You are a potato."))
          .add(new JsonObject().put("role", "user").put("content", "Hello")));
    }
  }

  @Test
  void aServerSideKeyIsUsedWhenTheRequestHasNone() {
    HttpResponse<Buffer> response = atrium.post("/chat/completions", ask("deepseek", "deepseek-chat").put("api_key", null));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(401); // the fake only knows KEY
    assertThat(only("/deepseek/").headers().get("authorization")).isEqualTo("Bearer " + SERVER_KEY);
    assertThat(response.bodyAsString()).doesNotContain(SERVER_KEY);
  }

  @Test
  void aServerKeyIsNeverSentToABaseUrlTheCallerChose() {
    HttpResponse<Buffer> response = atrium.post("/chat/completions", ask("deepseek", "deepseek-chat").put("api_key", null)
        .put("base_url", fake.url("/elsewhere/v1")));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(only("/elsewhere/").headers().get("authorization")).isNull();

    HttpResponse<Buffer> noKey = atrium.post("/chat/completions", ask("openai", "gpt-4o").put("api_key", null));
    assertError(noKey, 400, "invalid_request", "api_key");
    assertThat(fake.receivedUnder("/openai/")).isEmpty();
  }

  @Test
  void aLongConversationFitsTheChatBodyLimit() {
    String pasted = "lorem ipsum ".repeat(40_000); // ~480 KB, past the 100 KB of other JSON bodies
    HttpResponse<Buffer> response = atrium.post("/chat/completions", ask("openai", "gpt-4o")
        .put("messages", new JsonArray().add(message("user", pasted))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(only("/openai/").body().getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo(pasted);
  }

  @Test
  void anthropicGetsTheMessagesApiWithATopLevelSystemPrompt() {
    JsonObject request = ask("anthropic", "claude-3-opus-latest").put("messages", new JsonArray()
        .add(message("system", "You are a helpful assistant."))
        .add(message("user", "What is the capital of France?")));
    HttpResponse<Buffer> response = atrium.post("/chat/completions", request);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("content")).isEqualTo("The capital of France is Paris.");
    assertThat(response.bodyAsJsonObject().getJsonObject("usage"))
        .isEqualTo(new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 10));
    FakeLlmServer.Received sent = only("/anthropic/");
    assertThat(sent.path()).isEqualTo("/anthropic/v1/messages");
    assertThat(sent.headers().get("x-api-key")).isEqualTo(KEY);
    assertThat(sent.headers().get("anthropic-version")).isEqualTo(SHIPPED_CHAT.getString("anthropic_version"));
    assertThat(sent.headers().get("authorization")).isNull();
    assertThat(sent.body().getString("system")).isEqualTo("You are a helpful assistant.");
    assertThat(sent.body().getInteger("max_tokens")).isEqualTo(SHIPPED_CHAT.getInteger("anthropic_max_tokens"));
    assertThat(sent.body().getJsonArray("messages")).isEqualTo(new JsonArray()
        .add(message("user", "What is the capital of France?")));
  }

  @Test
  void geminiGetsGenerateContentWithTheKeyInAHeader() {
    HttpResponse<Buffer> response = atrium.post("/chat/completions", ask("gemini", "gemini-2.5-flash")
        .put("messages", new JsonArray().add(message("system", "You are a chatbot.")).add(message("user", "Hello!"))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("content")).isEqualTo("Hello! How can I help you today?");
    assertThat(response.bodyAsJsonObject().getJsonObject("usage"))
        .isEqualTo(new JsonObject().put("prompt_tokens", 9).put("completion_tokens", 9));
    FakeLlmServer.Received sent = only("/gemini/");
    assertThat(sent.path()).isEqualTo("/gemini/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(sent.body().getJsonArray("contents")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("role", "user").put("parts", new JsonArray().add(new JsonObject().put("text", "Hello!")))));
    assertThat(sent.body().getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0).getString("text"))
        .isEqualTo("You are a chatbot.");
  }

  @Test
  void ollamaAndOtherLocalOpenAiServersNeedNoKey() {
    HttpResponse<Buffer> ollama = atrium.post("/chat/completions", ask("ollama", "llama3.2").put("api_key", null));
    assertThat(ollama.statusCode()).as(ollama.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> custom = atrium.post("/chat/completions", ask("openai", "llama3.2").put("api_key", null)
        .put("base_url", fake.url("/ollama/v1/")));
    assertThat(custom.statusCode()).as(custom.bodyAsString()).isEqualTo(200);
    assertThat(fake.receivedUnder("/ollama/")).hasSize(2).allSatisfy(r -> {
      assertThat(r.headers().get("authorization")).isNull();
      assertThat(r.path()).isEqualTo("/ollama/v1/chat/completions");
    });
  }

  @Test
  void streamedDeltasArriveInOrderAndAddUpToTheAnswerForEveryFamily() {
    assertStream("openai", "gpt-4o-mini", "The capital of the UK is London.", 78, 9);
    assertStream("gemini", "gemini-2.0-flash-exp", "The capital of France is Paris.\n", 13, 8);
    assertStream("anthropic", "claude-sonnet-4-0", recordedAnthropicText(), 43, 282);
    assertThat(only("/gemini/").path()).isEqualTo("/gemini/v1beta/models/gemini-2.0-flash-exp:streamGenerateContent");
    assertThat(only("/anthropic/").body().getBoolean("stream")).isTrue();
  }

  private void assertStream(String provider, String model, String expected, int promptTokens, int completionTokens) {
    SseEvents sse = SseEvents.post(atrium.vertx, atrium.port, "/chat/completions", ask(provider, model).put("stream", true));
    assertThat(sse.status()).as(sse.rawBody()).isEqualTo(200);
    assertThat(sse.contentType()).startsWith("text/event-stream");
    assertThat(sse.contentEncoding()).isIn(null, "identity");
    List<JsonObject> deltas = sse.of("delta");
    assertThat(deltas).hasSizeGreaterThan(2);
    for (int i = 0; i < deltas.size(); i++) {
      assertThat(deltas.get(i).getInteger("index")).isEqualTo(i);
      assertThat(deltas.get(i).getString("delta")).isNotEmpty();
    }
    assertThat(sse.text()).isEqualTo(expected);
    List<JsonObject> done = sse.of("done");
    assertThat(done).hasSize(1);
    assertThat(sse.events().get(sse.events().size() - 1).type()).isEqualTo("done");
    assertThat(done.get(0).getString("content")).isEqualTo(expected);
    assertThat(done.get(0).getJsonObject("usage")).isEqualTo(new JsonObject()
        .put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens));
    assertThat(done.get(0).getJsonArray("citations")).isEmpty();
  }

  /** The answer text of the recorded Anthropic stream: its text_delta pieces (not the thinking ones). */
  private static String recordedAnthropicText() {
    String body = LlmFixtures.cassette("anthropic/test_anthropic_model_thinking_part_stream.yaml", 0).body();
    StringBuilder text = new StringBuilder();
    Matcher matcher = Pattern.compile("^data: (\\{.*\"text_delta\".*)$", Pattern.MULTILINE).matcher(body);
    while (matcher.find()) {
      text.append(new JsonObject(matcher.group(1)).getJsonObject("delta").getString("text"));
    }
    return text.toString();
  }

  @Test
  void aProviderErrorAfterTheStreamStartedEndsItWithAnErrorEvent() {
    // Anthropic documents that an error event can follow a 200 (errors-documented.json, _sse_error_event)
    fake.script.add(new FakeLlmServer.Scripted(200, Map.of("content-type", "text/event-stream"), """
        event: message_start
        data: {"type":"message_start","message":{"usage":{"input_tokens":12,"output_tokens":1}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

        event: error
        data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

        """));
    SseEvents sse = SseEvents.post(atrium.vertx, atrium.port, "/chat/completions", ask("anthropic", "claude").put("stream", true));
    assertThat(sse.status()).isEqualTo(200);
    assertThat(sse.text()).isEqualTo("Hel");
    List<JsonObject> errors = sse.of("error");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).getJsonObject("error").getString("code")).isEqualTo("unavailable");
    assertThat(errors.get(0).getJsonObject("error").getString("message")).contains("Overloaded");
    assertThat(sse.of("done")).isEmpty();

    // an OpenAI stream cut before its [DONE] is not passed off as a whole answer
    fake.script.add(new FakeLlmServer.Scripted(200, Map.of("content-type", "text/event-stream"),
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The\"}}]}\n\n"));
    SseEvents cut = SseEvents.post(atrium.vertx, atrium.port, "/chat/completions", ask("openai", "gpt-4o").put("stream", true));
    assertThat(cut.text()).isEqualTo("The");
    assertThat(cut.of("error").get(0).getJsonObject("error").getString("code")).isEqualTo("bad_gateway");
  }

  @Test
  void requestsEndingTogetherEachGetTheirRetrievalLogRow() {
    // the rows are written in batches while the answers go out; none may be lost
    List<String> ids = new ArrayList<>();
    List<io.vertx.core.Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    try (EventLog logWrites = EventLog.repliesTo(atrium.vertx, Addresses.STORE_CHAT_LOG)) {
      for (int i = 0; i < 30; i++) {
        String requestId = "together-" + i + "-" + System.nanoTime();
        ids.add(requestId);
        answers.add(atrium.client.post(atrium.port, "127.0.0.1", "/chat/completions")
            .sendJsonObject(ask("openai", "gpt-4o").put("request_id", requestId).put("stream", i % 2 == 0)));
      }
      io.vertx.core.Future.all(answers).await();
      answers.forEach(answer -> assertThat(answer.result().statusCode()).isEqualTo(200));
      assertThat(awaitRetrievalLogs(logWrites, ids).values()).as("outcomes").allMatch(row -> "ok".equals(row.getString("outcome")));
    }
  }

  @Test
  void aClientThatGoesAwayCancelsTheProviderCall() throws Exception {
    fake.streamDelayMs = 300;
    try (EventLog logWrites = EventLog.repliesTo(atrium.vertx, Addresses.STORE_CHAT_LOG)) {
      String requestId = "cancel-" + System.nanoTime();
      io.vertx.core.http.HttpClient client = atrium.vertx.createHttpClient();
      CompletableFuture<Void> firstDelta = new CompletableFuture<>();
      io.vertx.core.http.HttpClientRequest request = client.request(AtriumHarness.authorized(new io.vertx.core.http.RequestOptions()
          .setMethod(io.vertx.core.http.HttpMethod.POST).setPort(atrium.port).setHost("127.0.0.1")
          .setURI("/chat/completions").putHeader("content-type", "application/json"))).await();
      request.send(ask("openai", "gpt-4o-mini").put("stream", true).put("request_id", requestId).toBuffer())
          .onSuccess(response -> response.handler(chunk -> {
            if (chunk.toString().contains("event: delta")) {
              firstDelta.complete(null);
            }
          }));
      firstDelta.get(10, TimeUnit.SECONDS);
      request.connection().close().await();
      client.close().await();
      JsonObject log = awaitRetrievalLogs(logWrites, List.of(requestId)).get(requestId);
      assertThat(log.getString("outcome")).isEqualTo("cancelled");
      assertThat(log.getLong("latency_ms")).isLessThan(3000); // the recorded stream would take ~3.6 s to the end
    } finally {
      fake.streamDelayMs = 0;
    }
  }

  @Test
  void webSocketFollowersOfASessionSeeTheSameDeltas() throws Exception {
    long session = atrium.post("/chat/session/new", new JsonObject().put("title", "followers"))
        .bodyAsJsonObject().getLong("session_id");
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    WebSocket socket = atrium.vertx.createWebSocketClient().connect(AtriumHarness.authorized(new WebSocketConnectOptions()
        .setPort(atrium.port).setHost("127.0.0.1").setURI("/ws/chat?session_id=" + session))).await();
    socket.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      frames.add(frame);
      if (!"streaming".equals(frame.getString("status"))) {
        done.complete(null);
      }
    });
    SseEvents sse = SseEvents.post(atrium.vertx, atrium.port, "/chat/completions",
        ask("openai", "gpt-4o-mini").put("stream", true).put("session_id", session));
    done.get(10, TimeUnit.SECONDS);
    socket.close().await();
    List<String> followed = new ArrayList<>();
    frames.stream().filter(f -> "streaming".equals(f.getString("status"))).forEach(f -> {
      assertThat(f.getString("event")).isEqualTo("chat");
      assertThat(f.getLong("session_id")).isEqualTo(session);
      followed.add(f.getString("delta"));
    });
    assertThat(followed).containsExactlyElementsOf(sse.of("delta").stream().map(d -> d.getString("delta")).toList());
    JsonObject last = frames.get(frames.size() - 1);
    assertThat(last.getString("status")).isEqualTo("done");
    assertThat(last.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(9);
    assertThat(last.getString("request_id")).isEqualTo(sse.of("done").get(0).getString("request_id"));
  }

  @Test
  void aRefusedKeyIsA401ForEveryFamily() {
    HttpResponse<Buffer> openai = atrium.post("/chat/completions", ask("openai", "gpt-4o").put("api_key", "sk-wrong-one"));
    assertError(openai, 401, "unauthorized", "api_key");
    assertThat(error(openai).getInteger("provider_status")).isEqualTo(401);
    assertThat(error(openai).getString("message")).contains("Incorrect API key provided");
    HttpResponse<Buffer> anthropic = atrium.post("/chat/completions", ask("anthropic", "claude").put("api_key", "wrong"));
    assertError(anthropic, 401, "unauthorized", "api_key");
    assertThat(error(anthropic).getString("message")).contains("invalid x-api-key");
    // Gemini answers a bad key with 400 API_KEY_INVALID, and echoes the key in its details
    String badKey = "AIzaSyBadKeyThatMustNotEcho0123456789abcd";
    HttpResponse<Buffer> gemini = atrium.post("/chat/completions", ask("gemini", "gemini-2.0-flash").put("api_key", badKey));
    assertError(gemini, 401, "unauthorized", "api_key");
    assertThat(error(gemini).getInteger("provider_status")).isEqualTo(400);
    assertThat(error(gemini).getString("message")).contains("API key not valid");
    assertThat(gemini.bodyAsString()).doesNotContain(badKey);
    assertThat(fake.receivedUnder("/gemini/")).hasSize(1); // a refusal is not retried
  }

  @Test
  void aShortRetryAfterIsWaitedOutAndTheRetryAnswers() {
    fake.script.add(new FakeLlmServer.Scripted(429, Map.of("retry-after", "1"),
        LlmFixtures.gemini("vertexai/unary-failure-quota-exceeded.json")));
    long start = System.nanoTime();
    HttpResponse<Buffer> response = atrium.post("/chat/completions", ask("openai", "gpt-4o"));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("content")).isEqualTo(POTATO);
    assertThat(fake.receivedUnder("/openai/")).hasSize(2);
    assertThat(tookMs).isGreaterThanOrEqualTo(950);
  }

  @Test
  void aLongRetryAfterComesBackAsA429WithTheHint() {
    fake.script.add(new FakeLlmServer.Scripted(429, Map.of("retry-after", "3600"),
        LlmFixtures.gemini("vertexai/unary-failure-quota-exceeded.json")));
    HttpResponse<Buffer> response = atrium.post("/chat/completions", ask("gemini", "gemini-2.0-flash"));
    assertError(response, 429, "rate_limited", null);
    assertThat(response.getHeader("retry-after")).isEqualTo("3600");
    assertThat(error(response).getLong("retry_after")).isEqualTo(3600);
    assertThat(error(response).getInteger("provider_status")).isEqualTo(429);
    assertThat(error(response).getString("message")).contains("Quota exceeded");
    assertThat(fake.receivedUnder("/gemini/")).hasSize(1);
  }

  @Test
  void serverErrorsAreRetriedWithBackoff() {
    String error = LlmFixtures.documentedError("anthropic", "529").encode();
    fake.script.add(new FakeLlmServer.Scripted(529, Map.of(), error));
    fake.script.add(new FakeLlmServer.Scripted(500, Map.of(), error));
    HttpResponse<Buffer> response = atrium.post("/chat/completions", ask("anthropic", "claude-3-opus-latest"));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(fake.receivedUnder("/anthropic/")).hasSize(3);
  }

  @Test
  void malformedProviderAnswersAreA502() {
    for (String body : List.of("{\"choices\": [{\"message\": ", "{\"id\": \"chatcmpl-1\"}", "<html>upstream</html>")) {
      fake.script.add(new FakeLlmServer.Scripted(200, Map.of(), body));
      HttpResponse<Buffer> response = atrium.post("/chat/completions", ask("qwen", "qwen-plus"));
      assertError(response, 502, "bad_gateway", null);
      assertThat(error(response).getString("message")).startsWith("qwen answered with something atrium cannot read");
    }
    fake.script.add(new FakeLlmServer.Scripted(200, Map.of(), "{\"candidates\": 7}"));
    assertError(atrium.post("/chat/completions", ask("gemini", "gemini-2.0-flash")), 502, "bad_gateway", null);
  }

  /** A provider's answer that atrium cannot read, as a whole answer and streamed. */
  record Unreadable(String provider, String whole, String streamed) {
  }

  @Test
  void anAnswerAtriumCannotReadIsA502WholeAndEndsItsStreamInAnErrorEventLoggedAsAnError() {
    String wrongTypeGemini = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}]}}],"
        + " \"usageMetadata\": {\"promptTokenCount\": \"five\"}}";
    List<Unreadable> unreadable = List.of(
        // the body the whole answer is a 502 for (malformedProviderAnswersAreA502), to a stream: not one event
        new Unreadable("gemini", "{\"candidates\": 7}", "{\"candidates\": 7}"),
        // recorded: a candidate with empty content and no finish reason
        new Unreadable("gemini", LlmFixtures.gemini("vertexai/unary-failure-empty-content.json"),
            LlmFixtures.gemini("vertexai/streaming-failure-empty-content.txt")),
        new Unreadable("gemini", "{\"usageMetadata\": {\"promptTokenCount\": 5}}",
            "data: {\"usageMetadata\": {\"promptTokenCount\": 5}}\n\n"),
        new Unreadable("gemini", wrongTypeGemini, "data: " + wrongTypeGemini + "\n\n"),
        new Unreadable("openai", "{\"choices\": []}", "data: {\"choices\": []}\n\ndata: [DONE]\n\n"),
        new Unreadable("anthropic", "{\"type\": \"message\"}", """
            event: message_stop
            data: {"type": "message_stop"}

            """),
        // a value of the wrong type: a 400 for the caller's "wrong type" before, or a delta silently lost
        new Unreadable("anthropic",
            "{\"content\": [{\"type\": \"text\", \"text\": \"Hel\"}], \"usage\": {\"input_tokens\": \"12\"}}", """
            event: message_start
            data: {"type": "message_start", "message": {"usage": {"input_tokens": 12, "output_tokens": 1}}}

            event: content_block_delta
            data: {"type": "content_block_delta", "index": 0, "delta": "Hel"}

            event: message_stop
            data: {"type": "message_stop"}

            """));
    List<String> streamedIds = new ArrayList<>();
    try (EventLog logWrites = EventLog.repliesTo(atrium.vertx, Addresses.STORE_CHAT_LOG)) {
      for (Unreadable answer : unreadable) {
        String cannotRead = answer.provider() + " answered with something atrium cannot read";
        fake.script.add(new FakeLlmServer.Scripted(200, Map.of(), answer.whole()));
        HttpResponse<Buffer> whole = atrium.post("/chat/completions", ask(answer.provider(), "m"));
        assertError(whole, 502, "bad_gateway", null);
        assertThat(error(whole).getString("message")).as(answer.whole()).startsWith(cannotRead);

        String requestId = "unreadable-" + streamedIds.size() + "-" + System.nanoTime();
        streamedIds.add(requestId);
        Map<String, String> eventStream = answer.streamed().startsWith("{") ? Map.of()
            : Map.of("content-type", "text/event-stream");
        fake.script.add(new FakeLlmServer.Scripted(200, eventStream, answer.streamed()));
        SseEvents sse = SseEvents.post(atrium.vertx, atrium.port, "/chat/completions",
            ask(answer.provider(), "m").put("stream", true).put("request_id", requestId));
        assertThat(sse.status()).isEqualTo(200);
        assertThat(sse.of("done")).as(answer.streamed()).isEmpty();
        assertThat(sse.events().get(sse.events().size() - 1).type()).isEqualTo("error");
        JsonObject error = sse.of("error").get(0).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("bad_gateway");
        assertThat(error.getString("provider")).isEqualTo(answer.provider());
        assertThat(error.getString("message")).startsWith(cannotRead);
      }
      assertThat(awaitRetrievalLogs(logWrites, streamedIds).values()).allSatisfy(row -> {
        assertThat(row.getString("outcome")).isEqualTo("error");
        assertThat(row.getString("error_code")).isEqualTo("bad_gateway");
      });
    }
  }

  @Test
  void aProviderThatIsDownOpensTheBreakerWhichClosesAfterTheReset() {
    JsonObject request = ask("openai", "gpt-4o").put("base_url", fake.url("/breaker/v1"));
    fake.down.set(true);
    HttpResponse<Buffer> first = atrium.post("/chat/completions", request);
    assertError(first, 503, "unavailable", null);
    assertThat(error(first).getInteger("provider_status")).isEqualTo(503);
    assertThat(fake.receivedUnder("/breaker/")).hasSize(3); // three attempts, three failures: the breaker opens

    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> fast = atrium.post("/chat/completions", request);
      assertError(fast, 503, "unavailable", null);
      assertThat(error(fast).getString("message")).contains("circuit open");
      assertThat(fast.getHeader("retry-after")).isEqualTo("2");
    }
    assertThat(fake.receivedUnder("/breaker/")).hasSize(3);
    // another endpoint of the same provider has its own breaker
    assertThat(atrium.post("/chat/completions", ask("openai", "gpt-4o").put("base_url", fake.url("/other/v1")))
        .statusCode()).isEqualTo(503);

    fake.down.set(false);
    // the breaker half-opens on its own timer (1.5 s here) and announces nothing: the one kind of wait that polls
    try (EventLog ticks = EventLog.ticks(atrium.vertx, Duration.ofMillis(200))) {
      ticks.awaitState("the breaker to let a call through after its reset", Duration.ofSeconds(10),
          () -> atrium.post("/chat/completions", request).statusCode(), status -> status == 200);
    }
    assertThat(atrium.post("/chat/completions", request).statusCode()).as("closed again").isEqualTo(200);
  }

  @Test
  void anUnreachableOrSilentProviderIsA503NotAHang() throws Exception {
    HttpResponse<Buffer> unreachable = atrium.post("/chat/completions", ask("openai", "gpt-4o").put("base_url",
        "http://127.0.0.1:" + freePort() + "/v1"));
    assertError(unreachable, 503, "unavailable", null);
    assertThat(error(unreachable).getString("message")).contains("cannot be reached");

    fake.hang.set(true);
    HttpResponse<Buffer> silent = atrium.post("/chat/completions", ask("openai", "gpt-4o").put("base_url", fake.url("/slow/v1")));
    assertError(silent, 503, "unavailable", null);
    assertThat(error(silent).getString("message")).contains("did not answer within 2000 ms");
    SseEvents stream = SseEvents.post(atrium.vertx, atrium.port, "/chat/completions",
        ask("openai", "gpt-4o").put("base_url", fake.url("/slow2/v1")).put("stream", true));
    assertThat(stream.status()).as(stream.contentType() + " / " + stream.rawBody()).isEqualTo(503);
    assertThat(new JsonObject(stream.rawBody()).getJsonObject("error").getString("code")).isEqualTo("unavailable");
  }

  @Test
  void badInputIsA4xxNamingTheField() {
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("provider", null)), 400, "invalid_request", "provider");
    assertError(atrium.post("/chat/completions", ask("mistral", "m")), 400, "invalid_request", "provider");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("provider", 7)), 400, "invalid_request", "provider");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("model", null)), 400, "invalid_request", "model");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("messages", null)), 400, "invalid_request", "messages");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("messages", new JsonArray())), 400, "invalid_request", "messages");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("messages", "Hello")), 400, "invalid_request", "messages");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("messages", new JsonArray().add(message("robot", "x")))),
        400, "invalid_request", "messages[0].role");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("messages", new JsonArray()
        .add(message("user", "a")).add(new JsonObject().put("role", "user").put("content", 5)))), 400, "invalid_request", "messages[1].content");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("context_resource_ids", new JsonArray().add("1"))),
        400, "invalid_request", "context_resource_ids");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("session_id", "abc")), 400, "invalid_request", "session_id");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("stream", "yes")), 400, "invalid_request", "stream");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("retrieve", 1)), 400, "invalid_request", "retrieve");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("base_url", "ftp://example.com")), 400, "invalid_request", "base_url");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("base_url", "https://user:pw@example.com/v1")),
        400, "invalid_request", "base_url");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("temperature", 5)), 400, "invalid_request", "temperature");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("api_key", 12345)), 400, "invalid_request", "api_key");
    assertError(atrium.postRaw("/chat/completions", "application/json", "{\"provider\":"), 400, "invalid_request", null);
    String huge = "x".repeat(3 * 1024 * 1024);
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("messages", new JsonArray().add(message("user", huge)))),
        413, "too_large", null);
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("session_id", 999)), 404, "not_found", "session_id");
    assertError(atrium.post("/chat/completions", ask("openai", "m").put("session_id", 999).put("stream", true)),
        404, "not_found", "session_id");
    assertError(atrium.get("/chat/history/999"), 404, "not_found", "session_id");
    assertError(atrium.get("/chat/history/abc"), 400, "invalid_request", "session_id");
    assertError(atrium.post("/chat/session/new", new JsonObject()), 400, "invalid_request", "title");
    assertError(atrium.post("/chat/session/new", new JsonObject().put("title", "t").put("task_id", "x")), 400, "invalid_request", "task_id");
    assertError(atrium.post("/chat/session/new", new JsonObject().put("title", "t").put("task_id", 999)), 404, "not_found", "task_id");
    assertError(atrium.post("/chat/session/new", new JsonObject().put("title", "t").put("resource_id", 999)), 404, "not_found", "resource_id");
    assertThat(fake.received).isEmpty();
  }

  @Test
  void anApiKeyNeverAppearsInLogsTheDatabaseOrAnyResponse() throws Exception {
    String badKey = "sk-leakcheck-never-store-me-6d1f0a";
    List<String> seen = new ArrayList<>();
    List<String> requestIds = java.util.stream.IntStream.range(0, 8).mapToObj(i -> "leakcheck-" + i).toList();
    try (EventLog logWrites = EventLog.repliesTo(atrium.vertx, Addresses.STORE_CHAT_LOG)) {
      seen.add(atrium.post("/chat/completions", ask("openai", "gpt-4o").put("request_id", requestIds.get(0))).bodyAsString());
      seen.add(SseEvents.post(atrium.vertx, atrium.port, "/chat/completions", ask("anthropic", "claude").put("stream", true)
          .put("request_id", requestIds.get(1))).rawBody());
      seen.add(atrium.post("/chat/completions", ask("openai", "gpt-4o").put("api_key", badKey)
          .put("request_id", requestIds.get(2))).bodyAsString());
      seen.add(atrium.post("/chat/completions", ask("gemini", "gemini-2.0-flash").put("api_key", badKey)
          .put("request_id", requestIds.get(3))).bodyAsString());
      seen.add(SseEvents.post(atrium.vertx, atrium.port, "/chat/completions",
          ask("gemini", "gemini-2.0-flash").put("api_key", badKey).put("stream", true).put("request_id", requestIds.get(4))).rawBody());
      seen.add(atrium.post("/chat/completions", ask("openai", "gpt-4o").put("base_url", "http://127.0.0.1:" + freePort() + "/v1")
          .put("request_id", requestIds.get(5))).bodyAsString());
      fake.hang.set(true);
      seen.add(atrium.post("/chat/completions", ask("anthropic", "claude").put("base_url", fake.url("/hang/"))
          .put("request_id", requestIds.get(6))).bodyAsString());
      seen.add(atrium.post("/chat/completions", ask("deepseek", "deepseek-chat").put("api_key", null)
          .put("request_id", requestIds.get(7))).bodyAsString());
      awaitRetrievalLogs(logWrites, requestIds); // every request's row is in the database before it is searched
    }

    for (String secret : List.of(KEY, badKey, SERVER_KEY)) {
      assertThat(seen).noneMatch(body -> body.contains(secret));
      assertThat(LogCapture.linesContaining(secret)).as("log lines with a key").isEmpty();
      for (String file : List.of("atrium.db", "atrium.db-wal", "atrium.db-shm")) {
        Path path = dataDir.resolve(file);
        if (Files.exists(path)) {
          assertThat(new String(Files.readAllBytes(path), java.nio.charset.StandardCharsets.ISO_8859_1))
              .as(file).doesNotContain(secret);
        }
      }
    }
  }

  /**
   * The retrieval_logs rows (outcome, latency_ms, error_code) of the given requests by request id. They are written in batches
   * just after the answers: read now, and again each time the store confirms a batch (logWrites, opened before the
   * requests were sent).
   */
  private Map<String, JsonObject> awaitRetrievalLogs(EventLog logWrites, List<String> requestIds) {
    return logWrites.awaitState("the retrieval_logs rows of " + requestIds, Duration.ofSeconds(30),
        () -> retrievalLogs(requestIds), rows -> rows.keySet().containsAll(requestIds));
  }

  private Map<String, JsonObject> retrievalLogs(List<String> requestIds) throws Exception {
    Map<String, JsonObject> rows = new java.util.HashMap<>();
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("atrium.db"));
        var select = connection.prepareStatement("SELECT request_id, outcome, latency_ms, error_code FROM retrieval_logs")) {
      try (var row = select.executeQuery()) {
        while (row.next()) {
          if (requestIds.contains(row.getString(1))) {
            rows.put(row.getString(1), new JsonObject().put("outcome", row.getString(2)).put("latency_ms", row.getLong(3))
                .put("error_code", row.getString(4)));
          }
        }
      }
    }
    return rows;
  }

  private FakeLlmServer.Received only(String prefix) {
    List<FakeLlmServer.Received> received = fake.receivedUnder(prefix);
    assertThat(received).as("requests under " + prefix).hasSize(1);
    return received.get(0);
  }

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static JsonObject ask(String provider, String model) {
    return new JsonObject().put("provider", provider).put("model", model).put("api_key", KEY)
        .put("messages", new JsonArray().add(message("system", "You are a potato.")).add(message("user", "Hello")));
  }

  static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  static void assertError(HttpResponse<Buffer> response, int status, String code, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject error = error(response);
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("field")).isEqualTo(field);
    assertThat(error.getString("message")).isNotBlank();
  }
}
