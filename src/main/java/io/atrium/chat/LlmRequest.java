package io.atrium.chat;

import java.util.List;

/**
 * One call to a model. {@code system} (nullable) is sent the way the provider wants it (a system message, Anthropic's
 * top-level {@code system}, Gemini's {@code systemInstruction}); {@code messages} hold only user and assistant turns.
 * {@code jsonMode} asks for a single JSON object in the provider's own way (OpenAI {@code response_format}, Gemini
 * {@code responseMimeType}, an instruction for Anthropic, which has no JSON mode); {@link LlmReply#json()} reads it.
 */
public record LlmRequest(Endpoint endpoint, String model, String system, List<ChatMessage> messages, boolean jsonMode,
    Integer maxTokens, Double temperature) {

  public LlmRequest {
    messages = List.copyOf(messages);
  }

  public static LlmRequest of(Endpoint endpoint, String model, String system, List<ChatMessage> messages) {
    return new LlmRequest(endpoint, model, system, messages, false, null, null);
  }
}
