package io.atrium.chat;

import java.util.regex.Pattern;

/**
 * Removes API keys from text that may be shown or logged: the caller's key wherever it appears (Gemini echoes a bad
 * key in its error details) and anything shaped like a provider key (OpenAI {@code sk-…}, Anthropic
 * {@code sk-ant-…}, Google {@code AIza…}).
 */
public final class Secrets {
  private static final Pattern KEY_SHAPED = Pattern.compile("(sk-[A-Za-z0-9_*\\-]{6,}|AIza[0-9A-Za-z_\\-]{20,})");
  public static final String MASK = "[redacted]";

  private Secrets() {
  }

  public static String scrub(String text, String key) {
    if (text == null) {
      return null;
    }
    String result = text;
    if (key != null && !key.isEmpty()) {
      result = result.replace(key, MASK);
    }
    return KEY_SHAPED.matcher(result).replaceAll(MASK);
  }
}
