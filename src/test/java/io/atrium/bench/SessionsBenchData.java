package io.atrium.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The files {@link SessionsBench} writes where atrium and Claude Code keep theirs: a conversation's inputs JSONL, a
 * session transcript in the CLI's own line shapes. Each is forced to the disk before the timed requests read it.
 */
final class SessionsBenchData {
  private SessionsBenchData() {
  }

  record InputsWritten(long bytes, int records, String newestContent) {
  }

  /** Records as atrium appends them, until the file holds {@code bytes}: a few hundred to a few thousand chars each. */
  static InputsWritten writeInputs(Path file, long bytes, String workerName, Corpus corpus) throws IOException {
    Files.createDirectories(file.getParent());
    SplittableRandom random = new SplittableRandom(file.hashCode());
    Instant clock = Instant.parse("2026-01-05T09:00:00Z");
    long written = 0;
    int records = 0;
    String content = null;
    try (SyncedFile out = new SyncedFile(file)) {
      while (written < bytes) {
        int longest = (int) Math.max(20, Math.min(4000, bytes - written - 120));
        content = corpus.piece(random, Math.min(300, longest / 2), longest);
        clock = clock.plusMillis(random.nextInt(5_000, 600_000));
        byte[] line = (new JsonObject().put("role", "user").put("content", content).put("timestamp", clock.toString())
            .put("metadata", new JsonObject().put("run_id", records + 1).put("worker_name", workerName)).encode() + "\n")
            .getBytes(StandardCharsets.UTF_8);
        out.write(line);
        written += line.length;
        records++;
      }
    }
    return new InputsWritten(written, records, content);
  }

  /**
   * Claude Code transcript lines in the shapes of session_tooluse.jsonl: a prompt queued and dequeued, the user's
   * line, one to three tool calls each with its result, then the answer. Every line has a fresh uuid (queue
   * operations have none, as in the capture) and a timestamp a little after the one before.
   */
  static final class SyntheticTranscript {
    private final Corpus corpus;
    private final String session;
    private final String cwd;
    private final SplittableRandom random;
    private Instant clock;
    private String parent;

    /** {@code start}: the session's first timestamp; the lines after it follow a second or so apart. */
    SyntheticTranscript(Corpus corpus, String session, String cwd, Instant start) {
      this.corpus = corpus;
      this.clock = start;
      this.session = session;
      this.cwd = cwd;
      this.random = new SplittableRandom(session.hashCode());
    }

    int write(Path file, long bytes) throws IOException {
      Files.createDirectories(file.getParent());
      long written = 0;
      int lines = 0;
      try (SyncedFile out = new SyncedFile(file)) {
        while (written < bytes) {
          for (JsonObject line : exchange()) {
            byte[] encoded = (line.encode() + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(encoded);
            written += encoded.length;
            lines++;
          }
        }
      }
      return lines;
    }

    private List<JsonObject> exchange() {
      List<JsonObject> lines = new ArrayList<>();
      String prompt = corpus.piece(random, 300, 1500);
      String promptId = UUID.randomUUID().toString();
      lines.add(new JsonObject().put("type", "queue-operation").put("operation", "enqueue").put("timestamp", tick())
          .put("sessionId", session).put("content", prompt));
      lines.add(new JsonObject().put("type", "queue-operation").put("operation", "dequeue").put("timestamp", tick())
          .put("sessionId", session));
      lines.add(common(new JsonObject().put("parentUuid", parent).put("isSidechain", false).put("promptId", promptId)
          .put("type", "user").put("message", new JsonObject().put("role", "user").put("content", prompt)))
          .put("permissionMode", "default").put("promptSource", "sdk"));
      for (int call = random.nextInt(1, 4); call > 0; call--) {
        String toolUseId = "toolu_" + hex(24);
        lines.add(assistant(new JsonObject().put("type", "tool_use").put("id", toolUseId).put("name", "Bash")
            .put("input", new JsonObject().put("command", corpus.piece(random, 40, 400))
                .put("description", corpus.piece(random, 20, 80))), "tool_use"));
        String output = corpus.piece(random, 400, 1200);
        String toolCall = parent;
        lines.add(common(new JsonObject().put("parentUuid", parent).put("isSidechain", false).put("promptId", promptId)
            .put("type", "user").put("message", new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("tool_use_id", toolUseId).put("type", "tool_result").put("content", output)
                    .put("is_error", false)))))
            .put("toolUseResult", new JsonObject().put("stdout", output).put("stderr", "").put("interrupted", false)
                .put("isImage", false).put("noOutputExpected", false))
            .put("sourceToolAssistantUUID", toolCall));
      }
      lines.add(assistant(new JsonObject().put("type", "text").put("text", corpus.piece(random, 800, 2600)), "end_turn")
          .put("requestId", "req_" + hex(12)));
      return lines;
    }

    private JsonObject assistant(JsonObject block, String stopReason) {
      JsonObject usage = new JsonObject().put("input_tokens", random.nextInt(10, 4000))
          .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", random.nextInt(0, 30000))
          .put("output_tokens", random.nextInt(10, 800))
          .put("server_tool_use", new JsonObject().put("web_search_requests", 0).put("web_fetch_requests", 0))
          .put("service_tier", "standard")
          .put("cache_creation", new JsonObject().put("ephemeral_1h_input_tokens", 0).put("ephemeral_5m_input_tokens", 0))
          .put("inference_geo", "").put("iterations", new JsonArray()).put("speed", "standard");
      JsonObject message = new JsonObject().put("id", "msg_" + hex(20)).put("type", "message").put("role", "assistant")
          .put("model", "claude-opus-4-8").put("content", new JsonArray().add(block)).put("stop_reason", stopReason)
          .putNull("stop_sequence").put("usage", usage).putNull("stop_details");
      return common(new JsonObject().put("parentUuid", parent).put("isSidechain", false).put("message", message)
          .put("type", "assistant"));
    }

    /** The fields every user and assistant line ends with; this line becomes the next one's parent. */
    private JsonObject common(JsonObject line) {
      String uuid = UUID.randomUUID().toString();
      parent = uuid;
      return line.put("uuid", uuid).put("timestamp", tick()).put("userType", "external").put("entrypoint", "sdk-cli")
          .put("cwd", cwd).put("sessionId", session).put("version", "2.1.197").put("gitBranch", "HEAD");
    }

    private String tick() {
      clock = clock.plusMillis(random.nextInt(1, 3000));
      return clock.toString();
    }

    private String hex(int length) {
      StringBuilder hex = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        hex.append(Character.forDigit(random.nextInt(16), 16));
      }
      return hex.toString();
    }
  }

  /**
   * A buffered file forced to the disk when closed: the kernel's write-back of a big file just written must not run
   * during the timed requests that follow (nor hold up the store's own fsyncs).
   */
  private static final class SyncedFile implements AutoCloseable {
    private final FileOutputStream file;
    private final OutputStream out;

    SyncedFile(Path path) throws IOException {
      file = new FileOutputStream(path.toFile());
      out = new BufferedOutputStream(file, 1 << 20);
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
    }

    @Override
    public void close() throws IOException {
      try (out) {
        out.flush();
        file.getFD().sync();
      }
    }
  }

  /** Text to cut inputs and transcript content from: words, code, quotes, line breaks, a few non-ASCII letters. */
  static final class Corpus {
    private static final String[] WORDS = {"the", "build", "fails", "when", "a", "test", "runs", "twice", "and", "its",
        "folder", "is", "shared;", "please", "look", "at", "src/main/java/io/atrium/sessions/CliProcess.java", "line",
        "42,", "then", "`mvn -B -q test`", "again.", "Why", "does", "\"queue\": true", "return", "409?", "café",
        "naïve", "→", "résumé", "Straße", "{\"id\": 7}", "error:", "NullPointerException", "at", "io.atrium.Main",
        "\n", "\n\n", "- item", "1.", "because", "every", "conversation", "keeps", "one", "JSONL", "file", "per",
        "worker", "so", "reading", "from", "the", "end", "stays", "cheap", "\t", "fix", "it", "without", "sleeps."};
    private final String text;

    Corpus(SplittableRandom random) {
      StringBuilder text = new StringBuilder(1 << 20);
      while (text.length() < 1 << 20) {
        text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      this.text = text.toString();
    }

    String piece(SplittableRandom random, int minChars, int maxChars) {
      int length = random.nextInt(minChars, maxChars + 1);
      int from = random.nextInt(text.length() - length);
      return text.substring(from, from + length);
    }
  }
}
