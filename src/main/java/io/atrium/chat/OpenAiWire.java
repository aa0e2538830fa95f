package io.atrium.chat;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The OpenAI chat-completions format, spoken by OpenAI, Grok, DeepSeek, Qwen, Ollama and other compatible servers. */
final class OpenAiWire implements WireFormat {
  private final Provider provider;

  OpenAiWire(Provider provider) {
    this.provider = provider;
  }

  @Override
  public String path(String model, boolean stream) {
    return "/chat/completions";
  }

  @Override
  public void headers(MultiMap headers, String apiKey) {
    if (apiKey != null) {
      headers.set("authorization", "Bearer " + apiKey);
    }
  }

  @Override
  public JsonObject body(LlmRequest request, boolean stream) {
    JsonArray messages = new JsonArray();
    String system = WireFormat.systemText(request);
    if (system != null && !system.isBlank()) {
      messages.add(new JsonObject().put("role", "system").put("content", system));
    }
    request.messages().forEach(message -> messages.add(message.toJson()));
    JsonObject body = new JsonObject().put("model", request.model()).put("messages", messages).put("stream", stream);
    if (stream) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    if (request.jsonMode()) {
      body.put("response_format", new JsonObject().put("type", "json_object"));
    }
    if (request.maxTokens() != null) {
      body.put("max_tokens", request.maxTokens());
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    return body;
  }

  @Override
  public LlmReply reply(JsonObject body) {
    if (!(body.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()
        || !(choices.getValue(0) instanceof JsonObject choice)
        || !(choice.getValue("message") instanceof JsonObject message)) {
      throw WireFormat.malformed(provider, "no choices[0].message");
    }
    Object content = message.getValue("content");
    if (content != null && !(content instanceof String)) {
      throw WireFormat.malformed(provider, "choices[0].message.content is not text");
    }
    String text = content != null ? (String) content : message.getString("refusal", "");
    return new LlmReply(text, usage(body.getValue("usage")));
  }

  private Usage usage(Object usage) {
    if (!(usage instanceof JsonObject json)) {
      return Usage.NONE;
    }
    return new Usage(json.getInteger("prompt_tokens", 0), json.getInteger("completion_tokens", 0));
  }

  @Override
  public StreamDecoder decoder() {
    return new StreamDecoder() {
      private boolean complete;
      private Usage usage = Usage.NONE;

      @Override
      public String onEvent(String event, String data) {
        if ("[DONE]".equals(data.trim())) {
          complete = true;
          return "";
        }
        JsonObject chunk = WireFormat.parseJson(provider, data);
        if (chunk.getValue("error") instanceof JsonObject) {
          throw LlmCall.streamError(provider, errorMessage(chunk));
        }
        if (chunk.getValue("usage") instanceof JsonObject) {
          usage = OpenAiWire.this.usage(chunk.getValue("usage"));
        }
        if (!(chunk.getValue("choices") instanceof JsonArray choices)) {
          throw WireFormat.malformed(provider, "a stream chunk has no choices");
        }
        if (choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)
            || !(choice.getValue("delta") instanceof JsonObject delta)) {
          return "";
        }
        return delta.getValue("content") instanceof String text ? text : "";
      }

      @Override
      public boolean complete() {
        return complete;
      }

      @Override
      public Usage usage() {
        return usage;
      }
    };
  }

  @Override
  public String errorMessage(JsonObject body) {
    return body.getValue("error") instanceof JsonObject error ? error.getString("message") : null;
  }
}
