package io.atrium.chat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Incremental server-sent-events parser (the WHATWG rules providers follow): lines end with LF, CRLF or CR — also
 * when a CRLF is split between two network chunks, as Gemini's CRLF-separated events can be; {@code data:} lines
 * join with LF; a blank line dispatches {@code (event, data)}; comments ({@code :}) and {@code id}/{@code retry} are
 * ignored. Lines are split on bytes, so a multi-byte character cut between chunks is decoded whole. An event larger
 * than {@link #MAX_EVENT_BYTES} is refused with an {@link IllegalStateException}, so a broken or hostile endpoint
 * cannot fill the heap.
 *
 * <p>It runs once per streamed event on the chat event loop, so it scans each chunk for line ends and decodes a
 * line straight from the chunk; only a line cut between chunks is copied, into a buffer kept for the next chunk.
 */
public final class SseParser {
  public static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;
  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

  private final BiConsumer<String, String> onEvent;
  /** The start of a line the previous chunks cut off. */
  private byte[] partial = new byte[0];
  private int partialLength;
  /** The data of the event so far: its one line, or several joined in {@link #joined}. */
  private String data;
  private StringBuilder joined;
  private int dataBytes;
  private String event;
  private boolean afterCr;

  public SseParser(BiConsumer<String, String> onEvent) {
    this.onEvent = onEvent;
  }

  public void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != '\n' && b != '\r') {
        continue;
      }
      if (b == '\n' && afterCr && i == start) {
        afterCr = false; // the LF of a CRLF
        start = i + 1;
        continue;
      }
      lineEnds(bytes, start, i);
      afterCr = b == '\r';
      start = i + 1;
    }
    if (start < bytes.length) {
      afterCr = false;
      keep(bytes, start, bytes.length);
    }
  }

  /** The body ended: a last event without its blank line is still dispatched. */
  public void end() {
    if (partialLength > 0) {
      lineEnds(partial, 0, 0); // nothing more to add to the kept start: it is the whole line
    }
    dispatch();
  }

  private void lineEnds(byte[] bytes, int from, int to) {
    if (partialLength == 0) {
      line(bytes, from, to);
      return;
    }
    keep(bytes, from, to);
    int length = partialLength;
    partialLength = 0;
    line(partial, 0, length);
  }

  private void keep(byte[] bytes, int from, int to) {
    int length = to - from;
    checkSize(partialLength + length);
    if (partialLength + length > partial.length) {
      partial = Arrays.copyOf(partial, Math.max(partialLength + length, partial.length * 2));
    }
    System.arraycopy(bytes, from, partial, partialLength, length);
    partialLength += length;
  }

  private void checkSize(int lineBytes) {
    if (lineBytes + dataBytes > MAX_EVENT_BYTES) {
      throw new IllegalStateException("an event is larger than " + MAX_EVENT_BYTES + " bytes");
    }
  }

  private void line(byte[] bytes, int from, int to) {
    if (from == to) {
      dispatch();
      return;
    }
    checkSize(to - from);
    if (bytes[from] == ':') {
      return; // a comment
    }
    int colon = from;
    while (colon < to && bytes[colon] != ':') {
      colon++;
    }
    int valueFrom = Math.min(colon + 1, to);
    if (valueFrom < to && bytes[valueFrom] == ' ') {
      valueFrom++;
    }
    if (Arrays.equals(bytes, from, colon, DATA, 0, DATA.length)) {
      data(new String(bytes, valueFrom, to - valueFrom, StandardCharsets.UTF_8), to - valueFrom);
    } else if (Arrays.equals(bytes, from, colon, EVENT, 0, EVENT.length)) {
      event = new String(bytes, valueFrom, to - valueFrom, StandardCharsets.UTF_8);
    }
    // id and retry do not matter to a one-shot completion stream
  }

  private void data(String value, int bytes) {
    if (data == null) {
      data = value;
    } else {
      if (joined == null) {
        joined = new StringBuilder(data);
      }
      joined.append('\n').append(value);
    }
    dataBytes += bytes + 1;
  }

  private void dispatch() {
    if (data != null) {
      onEvent.accept(event == null ? "message" : event, joined != null ? joined.toString() : data);
    }
    event = null;
    data = null;
    joined = null;
    dataBytes = 0;
  }
}
