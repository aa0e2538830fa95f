package io.atrium.chat;

import io.atrium.bus.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Gemini's generateContent / streamGenerateContent?alt=sse: the key in {@code x-goog-api-key} (never the URL),
 * {@code contents} with roles user/model, {@code systemInstruction}; thought parts are not part of the answer; a
 * blocked prompt or a safety stop is a 422, not an empty answer; an answer, whole or streamed, with neither text
 * nor a finish reason is unreadable (502), not an empty one.
 */
final class GeminiWire implements WireFormat {
  private static final Set<String> STOPPED = Set.of("SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII");

  @Override
  public String path(String model, boolean stream) {
    String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return "/models/" + encoded + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }

  @Override
  public void headers(MultiMap headers, String apiKey) {
    if (apiKey != null) {
      headers.set("x-goog-api-key", apiKey);
    }
  }

  @Override
  public JsonObject body(LlmRequest request, boolean stream) {
    JsonArray contents = new JsonArray();
    request.messages().forEach(message -> contents.add(new JsonObject()
        .put("role", ChatMessage.ASSISTANT.equals(message.role()) ? "model" : "user")
        .put("parts", new JsonArray().add(new JsonObject().put("text", message.content())))));
    JsonObject body = new JsonObject().put("contents", contents);
    String system = WireFormat.systemText(request);
    if (system != null && !system.isBlank()) {
      body.put("systemInstruction", new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", system))));
    }
    JsonObject config = new JsonObject();
    if (request.jsonMode()) {
      config.put("responseMimeType", "application/json");
    }
    if (request.maxTokens() != null) {
      config.put("maxOutputTokens", request.maxTokens());
    }
    if (request.temperature() != null) {
      config.put("temperature", request.temperature());
    }
    if (!config.isEmpty()) {
      body.put("generationConfig", config);
    }
    return body;
  }

  @Override
  public LlmReply reply(JsonObject body) {
    Candidate candidate = candidate(body);
    if (!candidate.answers()) {
      throw WireFormat.malformed(Provider.GEMINI, "no candidate text and no finish reason");
    }
    return new LlmReply(candidate.text(), usage(body, Usage.NONE));
  }

  /**
   * What one response (or stream chunk) says: its answer text and why the answer ended (null while it goes on).
   * An answer says at least one of the two; a usage-only stream chunk says neither.
   */
  private record Candidate(String text, String finishReason) {
    static final Candidate NONE = new Candidate("", null);

    boolean answers() {
      return !text.isEmpty() || finishReason != null;
    }
  }

  /** Reads one response or stream chunk; throws when the prompt was blocked or the answer stopped. */
  private static Candidate candidate(JsonObject body) {
    Object candidates = body.getValue("candidates");
    if (candidates == null || candidates instanceof JsonArray array && array.isEmpty()) {
      if (body.getValue("promptFeedback") instanceof JsonObject feedback) {
        String reason = feedback.getString("blockReason", feedback.getString("blockReasonMessage", "unspecified"));
        throw LlmFailure.of(ErrorCode.UNPROCESSABLE, Provider.GEMINI, "gemini blocked the prompt (" + reason + ")");
      }
      if (body.containsKey("usageMetadata")) {
        return Candidate.NONE; // a usage-only chunk
      }
      throw WireFormat.malformed(Provider.GEMINI, "no candidates");
    }
    if (!(candidates instanceof JsonArray array) || !(array.getValue(0) instanceof JsonObject candidate)) {
      throw WireFormat.malformed(Provider.GEMINI, "candidates is not a list of objects");
    }
    String finish = candidate.getString("finishReason");
    if (finish != null && STOPPED.contains(finish)) {
      throw LlmFailure.of(ErrorCode.UNPROCESSABLE, Provider.GEMINI, "gemini stopped the answer (" + finish + ")");
    }
    StringBuilder text = new StringBuilder();
    if (candidate.getValue("content") instanceof JsonObject content && content.getValue("parts") instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof JsonObject json && !json.getBoolean("thought", false) && json.getValue("text") instanceof String t) {
          text.append(t);
        }
      }
    }
    return new Candidate(text.toString(), finish);
  }

  private static Usage usage(JsonObject body, Usage previous) {
    if (!(body.getValue("usageMetadata") instanceof JsonObject usage)) {
      return previous;
    }
    return new Usage(usage.getInteger("promptTokenCount", 0), usage.getInteger("candidatesTokenCount", 0));
  }

  @Override
  public StreamDecoder decoder() {
    return new StreamDecoder() {
      private Usage usage = Usage.NONE;
      private boolean answered;

      @Override
      public String onEvent(String event, String data) {
        JsonObject chunk = WireFormat.parseJson(Provider.GEMINI, data);
        if (chunk.getValue("error") instanceof JsonObject) {
          throw LlmCall.streamError(Provider.GEMINI, errorMessage(chunk));
        }
        usage = GeminiWire.usage(chunk, usage);
        Candidate candidate = candidate(chunk);
        answered |= candidate.answers();
        return candidate.text();
      }

      @Override
      public void end() {
        // Gemini has no end marker: its stream simply ends. One that said nothing the whole answer would have
        // said (no events at all, as from a body that is not events, or only usage) is what reply() refuses too.
        if (!answered) {
          throw WireFormat.malformed(Provider.GEMINI, "the stream ended with no candidate text and no finish reason");
        }
      }

      @Override
      public Usage usage() {
        return usage;
      }
    };
  }

  @Override
  public boolean refusedKey(int status, JsonObject body) {
    if (status == 401 || status == 403) {
      return true;
    }
    return status == 400 && body != null && body.encode().contains("API_KEY_INVALID");
  }
}
