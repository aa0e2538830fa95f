package io.atrium.chat;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic's Messages API: {@code x-api-key} and {@code anthropic-version} headers, the system prompt as the
 * top-level {@code system}, a required {@code max_tokens}; text comes in {@code content} blocks and, streamed, in
 * {@code content_block_delta}/{@code text_delta} events (thinking deltas are not part of the answer).
 */
final class AnthropicWire implements WireFormat {
  private final String version;
  private final int defaultMaxTokens;

  AnthropicWire(String version, int defaultMaxTokens) {
    this.version = version;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  @Override
  public String path(String model, boolean stream) {
    return "/v1/messages";
  }

  @Override
  public void headers(MultiMap headers, String apiKey) {
    if (apiKey != null) {
      headers.set("x-api-key", apiKey);
    }
    headers.set("anthropic-version", version);
  }

  @Override
  public JsonObject body(LlmRequest request, boolean stream) {
    JsonArray messages = new JsonArray();
    request.messages().forEach(message -> messages.add(message.toJson()));
    JsonObject body = new JsonObject()
        .put("model", request.model())
        .put("max_tokens", request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens)
        .put("messages", messages)
        .put("stream", stream);
    String system = WireFormat.systemText(request);
    if (system != null && !system.isBlank()) {
      body.put("system", system);
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    return body;
  }

  @Override
  public LlmReply reply(JsonObject body) {
    if (!(body.getValue("content") instanceof JsonArray blocks)) {
      throw WireFormat.malformed(Provider.ANTHROPIC, "no content blocks");
    }
    StringBuilder text = new StringBuilder();
    for (Object block : blocks) {
      if (block instanceof JsonObject json && "text".equals(json.getString("type"))) {
        text.append(json.getString("text", ""));
      }
    }
    JsonObject usage = body.getValue("usage") instanceof JsonObject json ? json : new JsonObject();
    return new LlmReply(text.toString(), new Usage(usage.getInteger("input_tokens", 0), usage.getInteger("output_tokens", 0)));
  }

  @Override
  public StreamDecoder decoder() {
    return new StreamDecoder() {
      /** Whether the message began: its message_start is where the whole answer's {@code content} would be. */
      private boolean started;
      private boolean complete;
      private int inputTokens;
      private int outputTokens;

      @Override
      public String onEvent(String event, String data) {
        JsonObject json = WireFormat.parseJson(Provider.ANTHROPIC, data);
        String type = json.getString("type", event);
        switch (type) {
          case "message_start" -> {
            started = true;
            JsonObject message = json.getJsonObject("message", new JsonObject());
            JsonObject usage = message.getJsonObject("usage", new JsonObject());
            inputTokens = usage.getInteger("input_tokens", inputTokens);
            outputTokens = usage.getInteger("output_tokens", outputTokens);
          }
          case "content_block_delta" -> {
            JsonObject delta = json.getJsonObject("delta", new JsonObject());
            return "text_delta".equals(delta.getString("type")) ? delta.getString("text", "") : "";
          }
          case "message_delta" -> {
            JsonObject usage = json.getJsonObject("usage", new JsonObject());
            inputTokens = usage.getInteger("input_tokens", inputTokens);
            outputTokens = usage.getInteger("output_tokens", outputTokens);
          }
          case "message_stop" -> complete = true;
          case "error" -> throw LlmCall.streamError(Provider.ANTHROPIC, errorMessage(json));
          default -> {
            // ping, content_block_start/stop carry no answer text
          }
        }
        return "";
      }

      @Override
      public void end() {
        if (!started) {
          throw WireFormat.malformed(Provider.ANTHROPIC, "the stream never started a message");
        }
        if (!complete) {
          throw WireFormat.malformed(Provider.ANTHROPIC, "the stream ended before its end marker");
        }
      }

      @Override
      public Usage usage() {
        return new Usage(inputTokens, outputTokens);
      }
    };
  }
}
