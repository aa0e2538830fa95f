package io.atrium.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.bus.ErrorCode;
import io.atrium.fakes.LlmFixtures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each wire format against recorded real answers (the fixtures), and the requests it builds. */
class WireFormatTest {
  static final Endpoint OPENAI = new Endpoint(Provider.OPENAI, "https://api.openai.com/v1/", "sk-abcdefghijklmnop");
  static final LlmRequest REQUEST = new LlmRequest(OPENAI, "m", "Be brief.",
      List.of(new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Hello"), new ChatMessage("user", "More")),
      true, 100, 0.2);

  @Test
  void openAiStreamReadsDeltasAndTheUsageChunk() {
    WireFormat wire = WireFormat.of(Provider.OPENAI, "2023-06-01", 4096);
    assertThat(stream(wire, LlmFixtures.cassette("openai/test_run_stream_sync_streams_real_model.yaml", 1).body()))
        .isEqualTo(new LlmReply("The capital of the UK is London.", new Usage(78, 9)));
  }

  @Test
  void openAiStreamChunksReadWithoutMapsMeanWhatTheParsedChunkSays() {
    List<String> chunks = new ArrayList<>();
    new SseParser((event, data) -> chunks.add(data)).feed(Buffer.buffer(
        LlmFixtures.cassette("openai/test_run_stream_sync_streams_real_model.yaml", 1).body()));
    chunks.remove("[DONE]");
    chunks.addAll(List.of(
        "{\"choices\":[]}",
        "{\"choices\":[{\"delta\":{\"content\":null}}],\"usage\":null}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":\"b\"},\"x\":[1,{\"y\":2}]}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"delta\":7}]}",
        "{\"choices\":[7,{\"delta\":{\"content\":\"second\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":{\"nested\":\"x\"}}}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"details\":{\"a\":[1]}}}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":3},\"usage\":null}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":3.5}}",
        "{\"choices\":[],\"error\":null}",
        "{\"choices\":{}}",
        "{\"usage\":{\"prompt_tokens\":1}}",
        "{\"error\":{\"message\":\"Overloaded\"}}",
        "[1]",
        "{\"choices\":[]} trailing",
        "{\"choices\":[{\"delta\":{\"content\":\"\\u00e9\\n\"}}]}",
        "not json"));
    for (String chunk : chunks) {
      assertThat(decode(chunk, true)).as(chunk).isEqualTo(decode(chunk, false));
    }
    assertThat(decode(chunks.get(chunks.size() - 2), true)).isEqualTo("é\n|none");
  }

  /** A chunk through the decoder, or (reference) through the parsed object as the decoder read every chunk before. */
  private static String decode(String chunk, boolean decoder) {
    try {
      if (decoder) {
        WireFormat.StreamDecoder read = WireFormat.of(Provider.OPENAI, "2023-06-01", 4096).decoder();
        String text = read.onEvent("message", chunk);
        return text + "|" + (read.usage() == Usage.NONE ? "none" : read.usage());
      }
      JsonObject json = new JsonObject(chunk);
      if (json.getValue("error") instanceof JsonObject) {
        return "failed: " + ErrorCode.UNAVAILABLE;
      }
      String usage = json.getValue("usage") instanceof JsonObject u
          ? new Usage(u.getInteger("prompt_tokens", 0), u.getInteger("completion_tokens", 0)).toString() : "none";
      if (!(json.getValue("choices") instanceof JsonArray choices)) {
        return "failed: " + ErrorCode.BAD_GATEWAY;
      }
      String text = !choices.isEmpty() && choices.getValue(0) instanceof JsonObject choice
          && choice.getValue("delta") instanceof JsonObject delta
          && delta.getValue("content") instanceof String content ? content : "";
      return text + "|" + usage;
    } catch (LlmFailure failure) {
      return "failed: " + failure.code;
    } catch (DecodeException | ClassCastException e) {
      return "failed: " + ErrorCode.BAD_GATEWAY;
    }
  }

  @Test
  void anthropicStreamSkipsThinkingAndSumsUsage() {
    WireFormat wire = WireFormat.of(Provider.ANTHROPIC, "2023-06-01", 4096);
    LlmReply reply = stream(wire, LlmFixtures.cassette("anthropic/test_anthropic_model_thinking_part_stream.yaml", 0).body());
    assertThat(reply.content()).startsWith("Here are the basic steps for safely crossing the street:").doesNotContain("pedestrian safety. I");
    assertThat(reply.usage()).isEqualTo(new Usage(43, 282));
  }

  @Test
  void geminiReadsCrlfEventsAndIgnoresThoughtParts() {
    WireFormat wire = WireFormat.of(Provider.GEMINI, "2023-06-01", 4096);
    assertThat(stream(wire, LlmFixtures.cassette("google/test_google_model_stream.yaml", 0).body()))
        .isEqualTo(new LlmReply("The capital of France is Paris.\n", new Usage(13, 8)));
    String thinking = LlmFixtures.gemini("googleai/streaming-success-thinking-reply-thought-summary.txt");
    assertThat(stream(wire, thinking).content()).doesNotContain("**Exploring Sky Color**").isNotBlank();
  }

  @Test
  void geminiBlockedPromptsAndSafetyStopsAre422() {
    WireFormat wire = WireFormat.of(Provider.GEMINI, "2023-06-01", 4096);
    assertThatThrownBy(() -> wire.reply(new JsonObject(LlmFixtures.gemini("googleai/unary-failure-only-prompt-feedback.json"))))
        .isInstanceOfSatisfying(LlmFailure.class, f -> assertThat(f.code).isEqualTo(ErrorCode.UNPROCESSABLE));
    assertThatThrownBy(() -> wire.reply(new JsonObject(LlmFixtures.gemini("googleai/unary-failure-finish-reason-safety.json"))))
        .isInstanceOfSatisfying(LlmFailure.class, f -> assertThat(f.getMessage()).contains("SAFETY"));
    assertThatThrownBy(() -> stream(wire, LlmFixtures.gemini("googleai/streaming-failure-prompt-blocked-safety.txt")))
        .isInstanceOfSatisfying(LlmFailure.class, f -> assertThat(f.code).isEqualTo(ErrorCode.UNPROCESSABLE));
  }

  @Test
  void everyRecordedGeminiSuccessIsReadableAndEveryAnswerWithoutTextOrFinishReasonIsNot() throws Exception {
    WireFormat wire = WireFormat.of(Provider.GEMINI, "2023-06-01", 4096);
    Path recorded = LlmFixtures.ROOT.resolve("gemini-firebase-vertexai-sdk-test-data/mock-responses");
    List<Path> successes;
    try (var files = Files.walk(recorded)) {
      successes = files.filter(f -> f.getFileName().toString().matches("(unary|streaming)-success-.*\\.(json|txt)"))
          .toList();
    }
    int read = 0;
    for (Path success : successes) {
      String body = Files.readString(success);
      if (!body.contains("\"candidates\"")) {
        continue; // countTokens and Imagen answers, not generateContent
      }
      read++;
      LlmReply reply = success.getFileName().toString().startsWith("streaming") ? stream(wire, body)
          : wire.reply(new JsonObject(body));
      assertThat(reply).as(success.toString()).isNotNull();
    }
    assertThat(read).isGreaterThan(50);
    assertThatThrownBy(() -> wire.reply(new JsonObject(LlmFixtures.gemini("vertexai/unary-failure-empty-content.json"))))
        .isInstanceOfSatisfying(LlmFailure.class, f -> assertThat(f.code).isEqualTo(ErrorCode.BAD_GATEWAY));
    assertThatThrownBy(() -> stream(wire, LlmFixtures.gemini("vertexai/streaming-failure-empty-content.txt")))
        .isInstanceOfSatisfying(LlmFailure.class, f -> assertThat(f.code).isEqualTo(ErrorCode.BAD_GATEWAY));
    assertThatThrownBy(() -> stream(wire, "{\"candidates\": 7}"))
        .isInstanceOfSatisfying(LlmFailure.class, f -> assertThat(f.getMessage()).contains("no finish reason"));
  }

  @Test
  void requestsCarryTheSystemPromptAndJsonModeTheWayEachApiWants() {
    JsonObject openai = WireFormat.of(Provider.OPENAI, "v", 1).body(REQUEST, true);
    assertThat(openai.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("system");
    assertThat(openai.getJsonObject("response_format").getString("type")).isEqualTo("json_object");
    assertThat(openai.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    JsonObject anthropic = WireFormat.of(Provider.ANTHROPIC, "v", 1).body(REQUEST, false);
    assertThat(anthropic.getString("system")).startsWith("Be brief.").contains("JSON object");
    assertThat(anthropic.getJsonArray("messages")).hasSize(3);
    JsonObject gemini = WireFormat.of(Provider.GEMINI, "v", 1).body(REQUEST, false);
    assertThat(gemini.getJsonObject("generationConfig").getString("responseMimeType")).isEqualTo("application/json");
    assertThat(gemini.getJsonArray("contents").getJsonObject(1).getString("role")).isEqualTo("model");
    assertThat(WireFormat.of(Provider.GEMINI, "v", 1).path("models/gemini 2", true))
        .isEqualTo("/models/gemini%202:streamGenerateContent?alt=sse");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    WireFormat.of(Provider.ANTHROPIC, "2023-06-01", 1).headers(headers, "k");
    assertThat(headers.get("x-api-key")).isEqualTo("k");
    assertThat(headers.get("anthropic-version")).isEqualTo("2023-06-01");
  }

  @Test
  void errorBodiesMapToCallerStatusesWithoutTheKey() {
    Endpoint gemini = new Endpoint(Provider.GEMINI, "https://g", "AIzaSyTheCallersOwnKey1234567890abcdef");
    String body = LlmFixtures.gemini("googleai/unary-failure-api-key.json").replace("key1234", gemini.apiKey());
    LlmFailure refused = LlmCall.fromStatus(gemini, WireFormat.of(Provider.GEMINI, "v", 1), 400, body, null);
    assertThat(refused.code).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(refused.toJson().encode()).doesNotContain(gemini.apiKey());
    LlmFailure notFound = LlmCall.fromStatus(gemini, WireFormat.of(Provider.GEMINI, "v", 1), 404,
        LlmFixtures.gemini("googleai/unary-failure-unknown-model.json"), null);
    assertThat(notFound.code).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(notFound.field).isEqualTo("model");
    LlmFailure overloaded = LlmCall.fromStatus(OPENAI, WireFormat.of(Provider.ANTHROPIC, "v", 1), 529,
        LlmFixtures.documentedError("anthropic", "529").encode(), null);
    assertThat(overloaded.code).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(Secrets.scrub("Incorrect API key provided: sk-proj-abcdefgh1234 and AIzaSyAbcdefghijklmnopqrstuv", null))
        .isEqualTo("Incorrect API key provided: [redacted] and [redacted]");
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    assertThat(LlmCall.retryAfterSeconds("7")).isEqualTo(7);
    assertThat(LlmCall.retryAfterSeconds("1.2")).isEqualTo(2);
    assertThat(LlmCall.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(0);
    assertThat(LlmCall.retryAfterSeconds("soon")).isNull();
    assertThat(LlmCall.retryAfterSeconds(MultiMap.caseInsensitiveMultiMap().add("retry-after-ms", "1500"))).isEqualTo(2);
  }

  @Test
  void jsonModeRepliesAreReadThroughCodeFences() {
    assertThat(new LlmReply("```json\n{\"tags\": [\"a\"]}\n```", Usage.NONE).json().getJsonArray("tags")).hasSize(1);
    assertThat(new LlmReply("no json here", Usage.NONE).json()).isNull();
  }

  private static LlmReply stream(WireFormat wire, String body) {
    WireFormat.StreamDecoder decoder = wire.decoder();
    StringBuilder text = new StringBuilder();
    SseParser parser = new SseParser((event, data) -> text.append(decoder.onEvent(event, data)));
    parser.feed(Buffer.buffer(body));
    parser.end();
    decoder.end();
    return new LlmReply(text.toString(), decoder.usage());
  }
}
