package io.atrium.sessions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * atrium's own copy of a conversation's synced transcript ({@code {id}.messages.jsonl} beside its inputs), which
 * the {@code messages} rows point into by offset and length. The lines are not copied into SQLite: with
 * their bytes in the database a 100 MB transcript synced at 30–40 MB/s (every page written to the WAL, then again
 * by the checkpoint); copied file to file they cost almost nothing, and the rows are ~150 bytes each. A copy rather than pointers
 * into the CLI's own file, because the CLI deletes old transcripts (Claude Code after 30 days) and the history must
 * outlive them.
 *
 * <p>Crash safety: a batch's lines are appended and forced to disk before its rows commit, and each commit records
 * the length of the log it covers; the next append first cuts the log back to that length, so lines whose rows
 * never committed are not left behind. Blocking: call it off the event loop.
 */
final class MessageLog {
  /** Beyond this a row's content is not read back (no line of a transcript the reader keeps is longer). */
  private static final int MAX_CONTENT_BYTES = TranscriptReader.MAX_LINE_BYTES;
  private static final Logger LOG = LoggerFactory.getLogger(MessageLog.class);

  private MessageLog() {
  }

  /** An open log being appended to; {@link #length()} is where the next line goes. */
  static final class Appender implements AutoCloseable {
    private final FileChannel channel;
    private long length;

    private Appender(FileChannel channel, long length) {
      this.channel = channel;
      this.length = length;
    }

    long length() {
      return length;
    }

    /**
     * Copies the transcript's bytes from the batch's first line to {@code rangeEnd} (the lines the reader skipped in
     * between come along: copying one range file to file, in the kernel, is what makes it cheap) and forces the log
     * to disk; answers the rows to store, each with the {@code content_offset} and {@code content_length} of its line
     * in the log.
     */
    JsonArray copy(FileChannel transcript, List<TranscriptReader.Line> batch, long rangeEnd) throws IOException {
      long rangeStart = batch.getFirst().offset();
      long shift = length - rangeStart;
      channel.position(length);
      for (long copied = 0; copied < rangeEnd - rangeStart; ) {
        long n = transcript.transferTo(rangeStart + copied, rangeEnd - rangeStart - copied, channel);
        if (n <= 0) {
          throw new IOException("the transcript ended at " + (rangeStart + copied) + " while copying to " + rangeEnd);
        }
        copied += n;
      }
      channel.force(false);
      length += rangeEnd - rangeStart;
      JsonArray rows = new JsonArray();
      for (TranscriptReader.Line line : batch) {
        rows.add(new JsonObject().put("uuid", line.uuid()).put("message_type", line.type())
            .put("timestamp", line.timestamp()).put("content_offset", line.offset() + shift)
            .put("content_length", line.length()));
      }
      return rows;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * Opens the log for appending after {@code committedLength}, the length the last committed rows cover; bytes past
   * it belong to a batch that never committed and are cut off.
   */
  static Appender open(Path file, long committedLength) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      if (size > committedLength) {
        channel.truncate(committedLength);
      } else if (size < committedLength) {
        // the log lost bytes its rows point at (replaced or cut by hand): new lines go after the end that is there
        LOG.warn("The message log {} is {} bytes, shorter than the {} its rows point into", file, size, committedLength);
      }
      return new Appender(channel, Math.min(size, committedLength));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Puts each row's {@code content} in place of its {@code content_offset}/{@code content_length}, read from the log.
   * Rows that hold their content already are left as they are; a line the log no longer has gives
   * {@code content: null} and {@code content_missing: true}.
   */
  static JsonArray fill(Path file, JsonArray rows) throws IOException {
    if (rows.stream().noneMatch(row -> ((JsonObject) row).containsKey("content_offset"))) {
      return rows;
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException gone) {
      channel = null;
    }
    try {
      for (Object item : rows) {
        JsonObject row = (JsonObject) item;
        if (!row.containsKey("content_offset")) {
          continue;
        }
        long offset = row.getLong("content_offset");
        int length = (int) Math.min(MAX_CONTENT_BYTES, row.getLong("content_length"));
        row.remove("content_offset");
        row.remove("content_length");
        JsonObject content = channel == null ? null : read(channel, offset, length);
        row.put("content", content);
        if (content == null) {
          row.put("content_missing", true);
        }
      }
      return rows;
    } finally {
      if (channel != null) {
        channel.close();
      }
    }
  }

  private static JsonObject read(FileChannel channel, long offset, int length) throws IOException {
    if (offset < 0 || offset + length > channel.size()) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        return null;
      }
    }
    try {
      return new JsonObject(new String(buffer.array(), StandardCharsets.UTF_8));
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
