package io.atrium.chat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The providers a chat request may name (seed 000, plus {@code ollama}), each with the wire format it speaks and
 * whether it needs an API key. Any other OpenAI-compatible server is reached as {@code openai} with a base_url.
 */
public enum Provider {
  OPENAI(WireFormat.Kind.OPENAI, true),
  GROK(WireFormat.Kind.OPENAI, true),
  DEEPSEEK(WireFormat.Kind.OPENAI, true),
  QWEN(WireFormat.Kind.OPENAI, true),
  OLLAMA(WireFormat.Kind.OPENAI, false),
  ANTHROPIC(WireFormat.Kind.ANTHROPIC, true),
  GEMINI(WireFormat.Kind.GEMINI, true);

  public final WireFormat.Kind wire;
  public final boolean needsKey;

  Provider(WireFormat.Kind wire, boolean needsKey) {
    this.wire = wire;
    this.needsKey = needsKey;
  }

  /** The name requests and configuration use ({@code openai}, {@code anthropic}, …). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The provider called {@code name}, or null. */
  public static Provider of(String name) {
    for (Provider provider : values()) {
      if (provider.wireName().equals(name)) {
        return provider;
      }
    }
    return null;
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Provider::wireName).toList();
  }
}
