package io.atrium.sessions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the new lines of a Claude Code session transcript ({@code ~/.claude/projects/<slug>/<session>.jsonl}),
 * which the CLI keeps appending to, from the offset the previous sync stopped at. The file is streamed in chunks
 * and handed over in batches, so a transcript of any size syncs in bounded memory. Blocking: call it on a worker
 * thread.
 */
public final class TranscriptReader {
  public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
  private static final int CHUNK_BYTES = 64 * 1024;
  /** A batch is handed over at its count or at this many bytes of lines, whichever comes first. */
  static final int BATCH_BYTES = 4 * 1024 * 1024;
  /** The conversation itself; attachments, modes, summaries and prompt bookmarks are the CLI's own state. */
  private static final Set<String> KEPT_TYPES = Set.of("user", "assistant", "system", "queue-operation");
  private static final Logger LOG = LoggerFactory.getLogger(TranscriptReader.class);
  private static final JsonFactory JSON = new JsonFactory();

  /** Takes one batch of messages; {@code offsetAfterBatch} is where a later sync resumes once the batch is kept. */
  @FunctionalInterface
  public interface BatchSink {
    void accept(List<Line> batch, long offsetAfterBatch) throws IOException;
  }

  /**
   * One kept line of the transcript: {@code uuid} is the line's own, or a name-based one that is the same on every
   * read of the same file; {@code timestamp} its ISO instant as written, or null; {@code offset} and {@code length}
   * where its bytes are in the file (without the line end). The bytes are not held: a sync copies them file to file.
   */
  public record Line(String uuid, String type, String timestamp, long offset, int length) {
  }

  /** Where the next sync resumes, and how many complete lines were kept and skipped on the way. */
  public record ReadResult(long offset, int kept, int skipped) {
  }

  private TranscriptReader() {
  }

  public static ReadResult read(Path file, long fromOffset, int batchSize, BatchSink sink) throws IOException {
    return read(file, fromOffset, batchSize, MAX_LINE_BYTES, sink);
  }

  /**
   * Hands the kept messages after {@code fromOffset} to {@code sink}, at most {@code batchSize} (and about
   * {@link #BATCH_BYTES} of lines) at a time, and returns the offset after the last complete line: a last line without its newline is being written and is read
   * by the next sync. A file shorter than the offset, or without a line end just before it, was replaced and is
   * read again from the start. Lines longer than {@code maxLineBytes} and lines that are not JSON objects are
   * skipped; a missing file is an empty transcript. The returned offset can be past the last batch's when only
   * skipped lines follow it.
   */
  public static ReadResult read(Path file, long fromOffset, int batchSize, int maxLineBytes, BatchSink sink)
      throws IOException {
    if (batchSize < 1 || maxLineBytes < 1) {
      throw new IllegalArgumentException("batchSize and maxLineBytes must be positive");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return new Pass(file, resumeOffset(channel, fromOffset), batchSize, maxLineBytes, sink).run(channel);
    } catch (NoSuchFileException missing) {
      return new ReadResult(0, 0, 0);
    }
  }

  /**
   * The text of a message worth indexing for search: text blocks, tool calls with their input, tool results;
   * not thinking. Lines are joined with newlines; a message with nothing to say gives an empty string.
   */
  public static String searchableText(String type, JsonObject line) {
    List<String> parts = new ArrayList<>();
    if (type.equals("user") || type.equals("assistant")) {
      if (line.getValue("message") instanceof JsonObject body) {
        addContent(body.getValue("content"), parts);
      }
    } else if (line.getValue("content") instanceof String text) {
      addText(text, parts);
    }
    return String.join("\n", parts);
  }

  /** Message content, and a tool result's content, is a string or an array of blocks. */
  private static void addContent(Object content, List<String> parts) {
    if (content instanceof String text) {
      addText(text, parts);
      return;
    }
    if (!(content instanceof JsonArray blocks)) {
      return;
    }
    for (Object item : blocks) {
      if (!(item instanceof JsonObject block)) {
        continue;
      }
      switch (Objects.toString(block.getValue("type"), "")) {
        case "text" -> addText(block.getValue("text"), parts);
        case "tool_use" -> parts.add("tool_use " + block.getValue("name") + ": "
            + (block.getValue("input") instanceof JsonObject input ? input.encode() : "{}"));
        case "tool_result" -> addContent(block.getValue("content"), parts);
        default -> { } // thinking, images: nothing to search in
      }
    }
  }

  private static void addText(Object text, List<String> parts) {
    if (text instanceof String s && !s.isBlank()) {
      parts.add(s);
    }
  }

  private static long resumeOffset(FileChannel channel, long fromOffset) throws IOException {
    if (fromOffset <= 0 || fromOffset > channel.size()) {
      return 0;
    }
    ByteBuffer before = ByteBuffer.allocate(1);
    channel.read(before, fromOffset - 1);
    return before.get(0) == '\n' ? fromOffset : 0;
  }

  /** One read: the line being assembled across chunks, the batch being filled and the counts. */
  private static final class Pass {
    private final Path file;
    private final int batchSize;
    private final int maxLineBytes;
    private final BatchSink sink;
    /** The offset after the last complete line, which is also where the line being read starts. */
    private long consumed;
    private byte[] partial = new byte[0];
    private int partialLength;
    private boolean oversized;
    private List<Line> batch = new ArrayList<>();
    private long batchBytes;
    private int kept;
    private int skipped;

    Pass(Path file, long start, int batchSize, int maxLineBytes, BatchSink sink) {
      this.file = file;
      this.consumed = start;
      this.batchSize = batchSize;
      this.maxLineBytes = maxLineBytes;
      this.sink = sink;
    }

    ReadResult run(FileChannel channel) throws IOException {
      ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
      byte[] bytes = chunk.array();
      long chunkStart = consumed;
      int length;
      while ((length = channel.read(chunk.clear(), chunkStart)) > 0) {
        int lineStart = 0;
        for (int i = 0; i < length; i++) {
          if (bytes[i] == '\n') {
            lineEnds(bytes, lineStart, i, chunkStart + i + 1);
            lineStart = i + 1;
          }
        }
        keep(bytes, lineStart, length);
        chunkStart += length;
      }
      flush();
      return new ReadResult(consumed, kept, skipped);
    }

    private void lineEnds(byte[] bytes, int from, int to, long offsetAfter) throws IOException {
      long lineStart = consumed;
      consumed = offsetAfter;
      keep(bytes, from, to);
      if (oversized) {
        oversized = false;
        skipped++;
        LOG.debug("Skipping a line over {} bytes at offset {} of {}", maxLineBytes, lineStart, file);
      } else if (partialLength > 0) {
        line(lineStart);
      }
      partialLength = 0;
    }

    /** Holds the start of a line until its end is read, up to the limit: past it only the skip is remembered. */
    private void keep(byte[] bytes, int from, int to) {
      int length = to - from;
      if (oversized || length == 0) {
        return;
      }
      if (partialLength + length > maxLineBytes) {
        oversized = true;
        partialLength = 0;
        return;
      }
      if (partialLength + length > partial.length) {
        partial = Arrays.copyOf(partial, Math.min(maxLineBytes, Math.max(partial.length * 2, partialLength + length)));
      }
      System.arraycopy(bytes, from, partial, partialLength, length);
      partialLength += length;
    }

    private void line(long lineStart) throws IOException {
      LineFields fields;
      try {
        fields = LineFields.of(partial, partialLength);
      } catch (IOException notJson) {
        fields = null;
      }
      if (fields == null) {
        skipped++;
        LOG.debug("Skipping a line at offset {} of {} that is not a JSON object", lineStart, file);
        return;
      }
      if (fields.type == null || !KEPT_TYPES.contains(fields.type)) {
        skipped++;
        return;
      }
      batch.add(new Line(uuid(fields, lineStart), fields.type, fields.timestamp, lineStart, partialLength));
      kept++;
      batchBytes += partialLength;
      if (batch.size() == batchSize || batchBytes >= BATCH_BYTES) {
        flush();
      }
    }

    /** Lines without a uuid (queue operations) get one named by where they are, so a re-read gives the same. */
    private String uuid(LineFields fields, long lineStart) {
      if (fields.uuid != null) {
        return fields.uuid;
      }
      String source = Objects.requireNonNullElse(fields.sessionId, file.getFileName().toString());
      return UUID.nameUUIDFromBytes((source + ":" + lineStart).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void flush() throws IOException {
      if (batch.isEmpty()) {
        return;
      }
      List<Line> full = batch;
      batch = new ArrayList<>();
      batchBytes = 0;
      sink.accept(full, consumed);
    }
  }

  /**
   * The top-level fields a message is stored by. A line is first read by {@link #scan}, a structural pass that only
   * follows strings and nesting to find the top-level keys (several times cheaper than a tokenizer, which checked
   * every number and literal of the line and was most of a sync's reading time); a line the scan cannot place, or
   * whose wanted values hold escapes, goes through Jackson's streaming parser, which decides.
   */
  static final class LineFields {
    String type;
    String uuid;
    String timestamp;
    String sessionId;
    /** A wanted value held an escape: the scan leaves decoding it to the parser. */
    private boolean escaped;

    /** The fields of a line that is one JSON object, or null for anything else. */
    static LineFields of(byte[] line, int length) throws IOException {
      LineFields scanned = scan(line, length);
      return scanned != null && !scanned.escaped ? scanned : parse(line, length);
    }

    /** The structural pass: null when the line does not look like exactly one object. */
    static LineFields scan(byte[] line, int length) {
      int i = skipSpace(line, 0, length);
      if (i >= length || line[i] != '{') {
        return null;
      }
      LineFields fields = new LineFields();
      int depth = 0;
      while (i < length) {
        byte b = line[i];
        if (b == '"') {
          int end = stringEnd(line, i + 1, length);
          if (end < 0) {
            return null;
          }
          if (depth == 1) {
            int colon = skipSpace(line, end + 1, length);
            if (colon < length && line[colon] == ':') {
              int value = skipSpace(line, colon + 1, length);
              if (value < length && line[value] == '"') {
                int valueEnd = stringEnd(line, value + 1, length);
                if (valueEnd < 0) {
                  return null;
                }
                fields.keep(line, i + 1, end, value + 1, valueEnd);
                i = valueEnd + 1;
                continue;
              }
              i = value;
              continue;
            }
          }
          i = end + 1;
          continue;
        }
        if (b == '{' || b == '[') {
          depth++;
        } else if (b == '}' || b == ']') {
          depth--;
          if (depth == 0) {
            return skipSpace(line, i + 1, length) == length && b == '}' ? fields : null;
          }
        }
        i++;
      }
      return null;
    }

    /** Where the string starting at {@code from} (after its opening quote) closes, or -1. */
    private static int stringEnd(byte[] line, int from, int length) {
      for (int i = from; i < length; i++) {
        byte b = line[i];
        if (b == '"') {
          return i;
        }
        if (b == '\\') {
          i++;
        }
      }
      return -1;
    }

    private static int skipSpace(byte[] line, int from, int length) {
      int i = from;
      while (i < length && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')) {
        i++;
      }
      return i;
    }

    private void keep(byte[] line, int keyFrom, int keyTo, int valueFrom, int valueTo) {
      String key = keyTo - keyFrom <= 9 ? new String(line, keyFrom, keyTo - keyFrom, StandardCharsets.ISO_8859_1) : "";
      if (!key.equals("type") && !key.equals("uuid") && !key.equals("timestamp") && !key.equals("sessionId")) {
        return;
      }
      for (int i = valueFrom; i < valueTo; i++) {
        if (line[i] == '\\') {
          escaped = true;
          return;
        }
      }
      String value = new String(line, valueFrom, valueTo - valueFrom, StandardCharsets.UTF_8);
      switch (key) {
        case "type" -> type = value;
        case "uuid" -> uuid = value;
        case "timestamp" -> timestamp = value;
        default -> sessionId = value;
      }
    }

    /** The parser's reading: exactly one JSON object, or null. */
    static LineFields parse(byte[] line, int length) throws IOException {
      try (JsonParser parser = JSON.createParser(line, 0, length)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        LineFields fields = new LineFields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (value == JsonToken.VALUE_STRING) {
            switch (name) {
              case "type" -> fields.type = parser.getText();
              case "uuid" -> fields.uuid = parser.getText();
              case "timestamp" -> fields.timestamp = parser.getText();
              case "sessionId" -> fields.sessionId = parser.getText();
              default -> { }
            }
          } else {
            parser.skipChildren();
          }
        }
        return parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null ? fields : null;
      }
    }
  }
}
