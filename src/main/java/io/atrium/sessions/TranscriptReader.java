package io.atrium.sessions;

import io.vertx.core.json.DecodeException;
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
  /** The conversation itself; attachments, modes, summaries and prompt bookmarks are the CLI's own state. */
  private static final Set<String> KEPT_TYPES = Set.of("user", "assistant", "system", "queue-operation");
  private static final Logger LOG = LoggerFactory.getLogger(TranscriptReader.class);

  /** Takes one batch of messages; {@code offsetAfterBatch} is where a later sync resumes once the batch is kept. */
  @FunctionalInterface
  public interface BatchSink {
    void accept(List<SyncedMessage> batch, long offsetAfterBatch) throws IOException;
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
   * Hands the kept messages after {@code fromOffset} to {@code sink}, at most {@code batchSize} at a time, and
   * returns the offset after the last complete line: a last line without its newline is being written and is read
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
  public static String searchableText(SyncedMessage message) {
    List<String> parts = new ArrayList<>();
    JsonObject line = message.content();
    if (message.type().equals("user") || message.type().equals("assistant")) {
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

  private static String string(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
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
    private List<SyncedMessage> batch = new ArrayList<>();
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
        line(new String(partial, 0, partialLength, StandardCharsets.UTF_8), lineStart);
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

    private void line(String text, long lineStart) throws IOException {
      JsonObject json;
      try {
        json = new JsonObject(text);
      } catch (DecodeException | ClassCastException notAnObject) {
        skipped++;
        LOG.debug("Skipping a line at offset {} of {} that is not a JSON object: {}", lineStart, file,
            notAnObject.getMessage());
        return;
      }
      String type = string(json, "type");
      if (type == null || !KEPT_TYPES.contains(type)) {
        skipped++;
        return;
      }
      batch.add(new SyncedMessage(uuid(json, lineStart), type, json, string(json, "timestamp"), text));
      kept++;
      if (batch.size() == batchSize) {
        flush();
      }
    }

    /** Lines without a uuid (queue operations) get one named by where they are, so a re-read gives the same. */
    private String uuid(JsonObject json, long lineStart) {
      String uuid = string(json, "uuid");
      if (uuid != null) {
        return uuid;
      }
      String source = Objects.requireNonNullElse(string(json, "sessionId"), file.getFileName().toString());
      return UUID.nameUUIDFromBytes((source + ":" + lineStart).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void flush() throws IOException {
      if (batch.isEmpty()) {
        return;
      }
      List<SyncedMessage> full = batch;
      batch = new ArrayList<>();
      sink.accept(full, consumed);
    }
  }
}
