package io.atrium.chat;

import io.atrium.bus.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * One provider API's wire format: the path, headers and body of a request, and how to read its answer, its
 * streamed events and its error bodies. Pure functions of JSON, unit-tested against recorded traffic.
 */
public interface WireFormat {
  /** The three formats: OpenAI chat completions, Anthropic Messages, Gemini generateContent. */
  enum Kind { OPENAI, ANTHROPIC, GEMINI }

  /** The path after the endpoint's base URL. */
  String path(String model, boolean stream);

  /** Puts the key (never in the URL) and any fixed headers the API needs. */
  void headers(MultiMap headers, String apiKey);

  JsonObject body(LlmRequest request, boolean stream);

  /** Reads a whole (non-streamed) answer; fails with {@link ErrorCode#BAD_GATEWAY} on an unexpected shape. */
  LlmReply reply(JsonObject body);

  /** A fresh reader for one streamed answer. */
  StreamDecoder decoder();

  /**
   * The human-readable message of an error body, or null. All three providers put it at {@code error.message}
   * (OpenAI and Gemini beside a code, Anthropic beside an error type).
   */
  default String errorMessage(JsonObject body) {
    return body.getValue("error") instanceof JsonObject error ? error.getString("message") : null;
  }

  /** Whether an error answer means the key was refused (not only 401/403: Gemini says 400 API_KEY_INVALID). */
  default boolean refusedKey(int status, JsonObject body) {
    return status == 401 || status == 403;
  }

  /** Reads the events of one streamed answer, in order. */
  interface StreamDecoder {
    /** The text this event adds (possibly empty); throws {@link LlmFailure} for an error event or bad data. */
    String onEvent(String event, String data);

    /**
     * The stream ended: throws {@link LlmFailure} ({@link ErrorCode#BAD_GATEWAY}) unless what arrived is a whole
     * answer — what {@link #reply} would refuse as a whole answer, it refuses as a stream too.
     */
    void end();

    Usage usage();
  }

  static WireFormat of(Provider provider, String anthropicVersion, int anthropicMaxTokens) {
    return switch (provider.wire) {
      case OPENAI -> new OpenAiWire(provider);
      case ANTHROPIC -> new AnthropicWire(anthropicVersion, anthropicMaxTokens);
      case GEMINI -> new GeminiWire();
    };
  }

  /** The system text, with a request for one JSON object added in JSON mode. */
  static String systemText(LlmRequest request) {
    if (!request.jsonMode()) {
      return request.system();
    }
    String hint = "Respond with one JSON object only, no prose and no code fences.";
    return request.system() == null || request.system().isBlank() ? hint : request.system() + "\n\n" + hint;
  }

  static JsonObject parseJson(Provider provider, String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw malformed(provider, "its answer is not a JSON object");
    }
  }

  /**
   * Runs one read of a provider's JSON. A value of the wrong type ({@link ClassCastException}) or a null where an
   * object belongs ({@link NullPointerException}) is the provider's answer at fault: a 502, not the caller's 400
   * that {@code Failure.of} would make of a ClassCastException, nor a delta silently dropped.
   */
  static <T> T reading(Provider provider, Supplier<T> read) {
    try {
      return read.get();
    } catch (ClassCastException | NullPointerException e) {
      throw malformed(provider, "a field has an unexpected type");
    }
  }

  static LlmFailure malformed(Provider provider, String detail) {
    return new LlmFailure(ErrorCode.BAD_GATEWAY, provider.wireName() + " answered with something atrium cannot read: "
        + detail, null, provider, 200, null);
  }
}
