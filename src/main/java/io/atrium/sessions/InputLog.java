package io.atrium.sessions;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inputs of one conversation as JSON Lines, one record per line, appended before the CLI is started and read
 * back newest first. Reading walks the file backwards from its end in fixed blocks, so the newest records of a
 * log of any size cost only their own bytes. Blocking: call it on a worker thread.
 */
public final class InputLog {
  static final int BLOCK_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(InputLog.class);

  private InputLog() {
  }

  /**
   * Appends the record as one line in one write and forces it to the device, so it is durable before the CLI
   * starts. After a torn write (a crash mid-line) the line is started afresh, so the torn bytes do not swallow it.
   * Appends to one file are expected to come one at a time.
   */
  public static void append(Path file, JsonObject record) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String line = (endsMidLine(file) ? "\n" : "") + record.encode() + '\n';
    ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
    try (FileChannel channel = FileChannel.open(file,
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
  }

  /**
   * At most {@code limit} records, the newest first. A missing file has none; a last line without its newline
   * (a write that was interrupted) and lines that are not a JSON object are left out.
   */
  public static List<JsonObject> newestFirst(Path file, int limit) throws IOException {
    return newestFirst(file, limit, BLOCK_BYTES);
  }

  static List<JsonObject> newestFirst(Path file, int limit, int blockBytes) throws IOException {
    List<JsonObject> records = new ArrayList<>();
    if (limit <= 0) {
      return records;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = channel.size();
      byte[] block = new byte[(int) Math.min(blockBytes, Math.max(position, 1))];
      // null until the file's last newline is met: the bytes after it are a torn write, not a line
      LineFromItsEnd line = null;
      while (position > 0 && records.size() < limit) {
        int length = (int) Math.min(block.length, position);
        position -= length;
        readFully(channel, block, length, position);
        int lineEnd = length;
        for (int i = length - 1; i >= 0 && records.size() < limit; i--) {
          if (block[i] != '\n') {
            continue;
          }
          if (line == null) {
            line = new LineFromItsEnd();
          } else {
            line.prepend(block, i + 1, lineEnd);
            addRecord(records, line.takeBytes(), file);
          }
          lineEnd = i;
        }
        if (line != null) {
          line.prepend(block, 0, lineEnd);
        }
      }
      if (position == 0 && line != null && records.size() < limit) {
        addRecord(records, line.takeBytes(), file); // the file's first line has no newline before it
      }
    } catch (NoSuchFileException missing) {
      return records;
    }
    return records;
  }

  private static boolean endsMidLine(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size == 0) {
        return false;
      }
      byte[] last = new byte[1];
      readFully(channel, last, 1, size - 1);
      return last[0] != '\n';
    } catch (NoSuchFileException missing) {
      return false;
    }
  }

  private static void readFully(FileChannel channel, byte[] into, int length, long position) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("the file shrank while it was read");
      }
    }
  }

  private static void addRecord(List<JsonObject> records, byte[] line, Path file) {
    if (line.length == 0) {
      return;
    }
    String text = new String(line, StandardCharsets.UTF_8); // only now whole, so no character is cut
    try {
      records.add(new JsonObject(text));
    } catch (DecodeException | ClassCastException notAnObject) {
      LOG.debug("Skipping a line of {} that is not a JSON object ({} bytes): {}", file, line.length,
          notAnObject.getMessage());
    }
  }

  /** The bytes of one line, gathered block by block from its end towards its start. */
  private static final class LineFromItsEnd {
    private byte[] bytes = new byte[256];
    private int start = bytes.length;

    void prepend(byte[] from, int offset, int end) {
      int length = end - offset;
      if (length > start) {
        int used = bytes.length - start;
        int capacity = Math.max(bytes.length * 2, used + length);
        byte[] grown = new byte[capacity];
        System.arraycopy(bytes, start, grown, capacity - used, used);
        bytes = grown;
        start = capacity - used;
      }
      start -= length;
      System.arraycopy(from, offset, bytes, start, length);
    }

    byte[] takeBytes() {
      byte[] line = Arrays.copyOfRange(bytes, start, bytes.length);
      start = bytes.length;
      return line;
    }
  }
}
