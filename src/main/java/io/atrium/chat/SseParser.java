package io.atrium.chat;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Incremental server-sent-events parser (the WHATWG rules providers follow): lines end with LF, CRLF or CR — also
 * when a CRLF is split between two network chunks, as Gemini's CRLF-separated events can be; {@code data:} lines
 * join with LF; a blank line dispatches {@code (event, data)}; comments ({@code :}) and {@code id}/{@code retry} are
 * ignored. Lines are split on bytes, so a multi-byte character cut between chunks is decoded whole. An event larger
 * than {@link #MAX_EVENT_BYTES} is refused with an {@link IllegalStateException}, so a broken or hostile endpoint
 * cannot fill the heap.
 */
public final class SseParser {
  public static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

  private final BiConsumer<String, String> onEvent;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private String event;
  private boolean hasData;
  private boolean afterCr;

  public SseParser(BiConsumer<String, String> onEvent) {
    this.onEvent = onEvent;
  }

  public void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    for (byte b : bytes) {
      if (b == '\n' && afterCr) {
        afterCr = false;
        continue;
      }
      afterCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine();
      } else {
        line.write(b);
        if (line.size() + data.length() > MAX_EVENT_BYTES) {
          throw new IllegalStateException("an event is larger than " + MAX_EVENT_BYTES + " bytes");
        }
      }
    }
  }

  /** The body ended: a last event without its blank line is still dispatched. */
  public void end() {
    if (line.size() > 0) {
      endLine();
    }
    dispatch();
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> event = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      default -> {
        // id and retry do not matter to a one-shot completion stream
      }
    }
  }

  private void dispatch() {
    if (hasData) {
      onEvent.accept(event == null ? "message" : event, data.toString());
    }
    event = null;
    data.setLength(0);
    hasData = false;
  }
}
