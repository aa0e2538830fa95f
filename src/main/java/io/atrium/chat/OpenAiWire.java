package io.atrium.chat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

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
      /** Whether a chunk carried a choice: a stream without one is the whole answer without choices[0]. */
      private boolean choice;
      private Usage usage = Usage.NONE;

      @Override
      public String onEvent(String event, String data) {
        if ("[DONE]".equals(data.trim())) {
          complete = true;
          return "";
        }
        StreamChunk chunk = StreamChunk.read(data);
        if (chunk == null) {
          return readWhole(data);
        }
        if (chunk.usage() != null) {
          usage = chunk.usage();
        }
        choice |= chunk.choice();
        return chunk.content();
      }

      /** The chunks {@link StreamChunk} does not read (errors, odd shapes), parsed whole. */
      private String readWhole(String data) {
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
        if (choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject first)) {
          return "";
        }
        choice = true;
        return first.getValue("delta") instanceof JsonObject delta && delta.getValue("content") instanceof String text
            ? text : "";
      }

      @Override
      public void end() {
        if (!complete) {
          throw WireFormat.malformed(provider, "the stream ended before its end marker");
        }
        if (!choice) {
          throw WireFormat.malformed(provider, "the stream carried no choices");
        }
      }

      @Override
      public Usage usage() {
        return usage;
      }
    };
  }

  /**
   * What atrium takes from one ordinary streamed chunk — {@code choices[0].delta.content}, whether there is a
   * {@code choices[0]} object at all, and {@code usage} — read with Jackson's streaming parser, skipping the rest
   * (id, model, fingerprints, logprobs, tool calls) instead of building maps of it: every event of every stream
   * passes here on the chat event loop. {@link #read} answers null for anything else (an error, a chunk without a
   * choices array, numbers that are not integers, bad JSON), which is then parsed whole and judged as before.
   */
  record StreamChunk(String content, Usage usage, boolean choice) {
    private static final JsonFactory JSON = new JsonFactory();

    static StreamChunk read(String data) {
      try (JsonParser parser = JSON.createParser(data)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        String content = null;
        Usage usage = null;
        boolean choices = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          switch (field) {
            case "choices" -> {
              if (value != JsonToken.START_ARRAY || choices) {
                return null;
              }
              choices = true;
              content = firstContent(parser);
            }
            case "usage" -> {
              if (value == JsonToken.START_OBJECT) {
                usage = usage(parser);
                if (usage == null) {
                  return null;
                }
              } else if (value == JsonToken.VALUE_NULL) {
                usage = null; // the last "usage" wins, as in a parsed object
              } else {
                return null;
              }
            }
            case "error" -> {
              return null;
            }
            default -> parser.skipChildren();
          }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null || !choices) {
          return null;
        }
        return new StreamChunk(content == null ? "" : content, usage, content != null);
      } catch (IOException e) {
        return null;
      }
    }

    /**
     * At the array's start: the first choice's delta.content ("" if it has none, null if there is no first choice
     * object), leaving the parser at the array's end.
     */
    private static String firstContent(JsonParser parser) throws IOException {
      String content = null;
      boolean choice = false;
      boolean first = true;
      for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
        if (first && element == JsonToken.START_OBJECT) {
          choice = true;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("delta".equals(field) && value == JsonToken.START_OBJECT) {
              content = null; // the last "delta" wins, as in a parsed object
              while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String deltaField = parser.currentName();
                JsonToken deltaValue = parser.nextToken();
                if ("content".equals(deltaField)) {
                  content = deltaValue == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
              }
            } else {
              if ("delta".equals(field)) {
                content = null;
              }
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
        first = false;
      }
      return choice && content == null ? "" : content;
    }

    /** At a usage object's start: its token counts, or null if one is not an integer. */
    private static Usage usage(JsonParser parser) throws IOException {
      int prompt = 0;
      int completion = 0;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        boolean counted = "prompt_tokens".equals(field) || "completion_tokens".equals(field);
        if (!counted) {
          parser.skipChildren();
        } else if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
          return null;
        } else if ("prompt_tokens".equals(field)) {
          prompt = parser.getIntValue();
        } else {
          completion = parser.getIntValue();
        }
      }
      return new Usage(prompt, completion);
    }
  }
}
