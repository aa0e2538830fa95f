package io.atrium.config;

/**
 * How long a requester of {@code atrium.chat.complete} or {@code atrium.llm.generate} waits for the answer (or a
 * stream's start), from the chat section: every attempt's timeout and retry wait, and a margin. Here, not in the
 * chat package, because the verticles that call chat may not import it; each computes its own timeouts from this.
 */
public final class ChatDeadline {
  private static final long MARGIN_MS = 30_000;

  private ChatDeadline() {
  }

  public static long ms(ConfigSection chat) {
    int attempts = Math.max(1, chat.integer("max_attempts"));
    return attempts * chat.longInteger("timeout_ms") + (attempts - 1) * chat.longInteger("max_retry_wait_ms")
        + MARGIN_MS;
  }
}
