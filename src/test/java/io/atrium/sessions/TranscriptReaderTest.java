package io.atrium.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.sessions.TranscriptReader.Line;
import io.atrium.sessions.TranscriptReader.ReadResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptReaderTest {
  private static final Path CAPTURES = Path.of(System.getProperty("atrium.shared", "../shared"))
      .resolve("data/claude-code-capture");
  private static final Path TOOL_USE = CAPTURES.resolve("session_tooluse.jsonl");
  private static final Path PRINT_JSON = CAPTURES.resolve("session_print_json.jsonl");

  @TempDir
  Path dir;

  /** Every message a read hands over, and each batch's size and offset. */
  private static final class Collected {
    final List<Line> messages = new ArrayList<>();
    final List<Integer> batchSizes = new ArrayList<>();
    final List<Long> offsets = new ArrayList<>();

    ReadResult read(Path file, long fromOffset, int batchSize) throws IOException {
      return TranscriptReader.read(file, fromOffset, batchSize, this::accept);
    }

    void accept(List<Line> batch, long offsetAfterBatch) {
      messages.addAll(batch);
      batchSizes.add(batch.size());
      offsets.add(offsetAfterBatch);
    }

    List<String> types() {
      return messages.stream().map(Line::type).toList();
    }

    List<String> uuids() {
      return messages.stream().map(Line::uuid).toList();
    }
  }

  /** What the reader (scan, then parser) or the parser alone makes of a line; null for "not one JSON object". */
  private static TranscriptReader.LineFields fieldsOrNull(byte[] line, boolean reader) {
    try {
      return reader ? TranscriptReader.LineFields.of(line, line.length)
          : TranscriptReader.LineFields.parse(line, line.length);
    } catch (IOException notJson) {
      return null;
    }
  }

  /** A line's bytes where the reader says they are, parsed. */
  private static JsonObject content(Path file, Line line) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return new JsonObject(new String(bytes, (int) line.offset(), line.length(), StandardCharsets.UTF_8));
  }

  private static String userLine(int n) {
    return new JsonObject().put("type", "user").put("uuid", "u-" + n).put("timestamp", "2026-11-22T18:43:" + n + "Z")
        .put("message", new JsonObject().put("role", "user").put("content", "message " + n)).encode() + "\n";
  }

  @Test
  void aRealTranscriptKeepsTheConversationAndSkipsTheCliState() throws IOException {
    Collected toolUse = new Collected();
    ReadResult result = toolUse.read(TOOL_USE, 0, 100);
    assertThat(toolUse.types()).containsExactly("queue-operation", "queue-operation", "user", "assistant", "user",
        "assistant");
    assertThat(result).isEqualTo(new ReadResult(Files.size(TOOL_USE), 6, 3)); // 2 attachments, 1 last-prompt
    Line firstUser = toolUse.messages.get(2);
    assertThat(firstUser.uuid()).isEqualTo("dd04cd17-ba82-4ae9-9498-416b2044edd0");
    assertThat(firstUser.timestamp()).isEqualTo("2026-11-22T18:43:26.476Z");
    assertThat(content(TOOL_USE, firstUser).getString("sessionId")).isEqualTo("6dd1c50a-498a-45a5-b72d-c0b5912684c8");

    Collected printJson = new Collected();
    assertThat(printJson.read(PRINT_JSON, 0, 100)).isEqualTo(new ReadResult(Files.size(PRINT_JSON), 4, 3));
    assertThat(printJson.types()).containsExactly("queue-operation", "queue-operation", "user", "assistant");
  }

  @Test
  void queueOperationsGetTheSameIdsOnEveryRead() throws IOException {
    Collected first = new Collected();
    Collected second = new Collected();
    first.read(TOOL_USE, 0, 100);
    second.read(TOOL_USE, 0, 2);
    List<String> queueIds = first.messages.stream().filter(m -> m.type().equals("queue-operation"))
        .map(Line::uuid).toList();
    assertThat(queueIds).hasSize(2).doesNotHaveDuplicates().allSatisfy(id -> UUID.fromString(id));
    assertThat(second.uuids()).isEqualTo(first.uuids());
    assertThat(first.messages.getFirst().timestamp()).isEqualTo("2026-11-22T18:43:26.401Z");
  }

  @Test
  void aTranscriptReadAsItIsWrittenGivesEveryMessageExactlyOnce() throws IOException {
    List<String> lines = Files.readAllLines(TOOL_USE).stream().map(line -> line + "\n").toList();
    Path transcript = dir.resolve("6dd1c50a.jsonl");
    Collected synced = new Collected();

    Files.writeString(transcript, String.join("", lines.subList(0, 4)));
    long offset = synced.read(transcript, 0, 100).offset();
    assertThat(offset).isEqualTo(Files.size(transcript));

    String assistant = lines.get(7); // the last assistant message, cut while the CLI writes it
    int cut = assistant.length() / 2;
    Files.writeString(transcript, String.join("", lines.subList(4, 7)) + assistant.substring(0, cut),
        StandardOpenOption.APPEND);
    long beforeTornLine = Files.size(transcript) - assistant.substring(0, cut).getBytes(StandardCharsets.UTF_8).length;
    offset = synced.read(transcript, offset, 100).offset();
    assertThat(offset).isEqualTo(beforeTornLine);

    Files.writeString(transcript, assistant.substring(cut) + lines.get(8), StandardOpenOption.APPEND);
    ReadResult last = synced.read(transcript, offset, 100);
    assertThat(last).isEqualTo(new ReadResult(Files.size(transcript), 1, 1));

    Collected whole = new Collected();
    whole.read(transcript, 0, 100);
    assertThat(synced.uuids()).hasSize(6).doesNotHaveDuplicates().isEqualTo(whole.uuids());
  }

  @Test
  void batchesHoldAtMostTheBatchSizeAndTheirOffsetsOnlyGrow() throws IOException {
    Path transcript = dir.resolve("s.jsonl");
    StringBuilder text = new StringBuilder();
    for (int n = 0; n < 25; n++) {
      text.append(userLine(n));
    }
    Files.writeString(transcript, text);
    Collected synced = new Collected();
    ReadResult result = synced.read(transcript, 0, 10);
    assertThat(synced.batchSizes).containsExactly(10, 10, 5);
    assertThat(synced.offsets).isSorted().doesNotHaveDuplicates().last().isEqualTo(Files.size(transcript));
    assertThat(synced.offsets.getFirst()).isEqualTo(userLine(0).length() * 10L);
    assertThat(result).isEqualTo(new ReadResult(Files.size(transcript), 25, 0));

    Collected resumed = new Collected();
    resumed.read(transcript, synced.offsets.getFirst(), 10);
    assertThat(resumed.uuids()).isEqualTo(synced.uuids().subList(10, 25));
  }

  @Test
  void aFileShorterThanTheOffsetIsReadAgainFromTheStart() throws IOException {
    Path transcript = dir.resolve("s.jsonl");
    Files.writeString(transcript, userLine(1) + userLine(2) + userLine(3));
    long offset = new Collected().read(transcript, 0, 10).offset();

    Files.writeString(transcript, userLine(7)); // replaced by a new, shorter transcript
    Collected synced = new Collected();
    assertThat(synced.read(transcript, offset, 10)).isEqualTo(new ReadResult(Files.size(transcript), 1, 0));
    assertThat(synced.uuids()).containsExactly("u-7");
  }

  @Test
  void anOffsetThatIsNotALineEndIsReadAgainFromTheStart() throws IOException {
    Path transcript = dir.resolve("s.jsonl");
    Files.writeString(transcript, userLine(1) + userLine(2));
    Collected synced = new Collected();
    synced.read(transcript, 5, 10);
    assertThat(synced.uuids()).containsExactly("u-1", "u-2");
  }

  @Test
  void malformedOverlongAndUntypedLinesAreSkippedAndCounted() throws IOException {
    Path transcript = dir.resolve("s.jsonl");
    String overlong = new JsonObject().put("type", "user").put("uuid", "big").put("pad", "x".repeat(300_000))
        .encode() + "\n";
    Files.writeString(transcript, userLine(1) + "{\"type\":\"user\",\n" + "[1]\n" + "\n" + overlong
        + "{\"uuid\":\"no-type\"}\n" + userLine(2));
    Collected synced = new Collected();
    ReadResult result = TranscriptReader.read(transcript, 0, 10, 1024, synced::accept);
    assertThat(synced.uuids()).containsExactly("u-1", "u-2");
    assertThat(result).isEqualTo(new ReadResult(Files.size(transcript), 2, 4));
  }

  @Test
  void aMissingTranscriptIsEmpty() throws IOException {
    Collected synced = new Collected();
    assertThat(synced.read(dir.resolve("not-yet.jsonl"), 0, 10)).isEqualTo(new ReadResult(0, 0, 0));
    assertThat(synced.messages).isEmpty();
  }

  @Test
  void theSearchableTextOfAToolRunIsItsWordsCallAndResult() throws IOException {
    Collected synced = new Collected();
    synced.read(TOOL_USE, 0, 100);
    List<String> texts = new ArrayList<>();
    for (Line line : synced.messages) {
      texts.add(TranscriptReader.searchableText(line.type(), content(TOOL_USE, line)));
    }
    assertThat(texts).containsExactly(
        "run echo",
        "",
        "run echo",
        "tool_use Bash: {\"command\":\"echo tool-ran-ok\",\"description\":\"Echo a marker\"}",
        "tool-ran-ok",
        "Hello from the fake Anthropic server.");
    assertThat(String.join("\n", texts)).contains("tool_use Bash").contains("tool-ran-ok");
  }

  @Test
  void searchableTextSkipsThinkingAndReadsToolResultBlocks() {
    JsonArray blocks = new JsonArray()
        .add(new JsonObject().put("type", "thinking").put("thinking", "private reasoning"))
        .add(new JsonObject().put("type", "text").put("text", "Here is the listing."))
        .add(new JsonObject().put("type", "tool_result").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "a.txt"))
            .add(new JsonObject().put("type", "image").put("source", new JsonObject()))
            .add(new JsonObject().put("type", "text").put("text", "b.txt"))));
    JsonObject line = new JsonObject().put("type", "assistant")
        .put("message", new JsonObject().put("role", "assistant").put("content", blocks));
    assertThat(TranscriptReader.searchableText("assistant", line))
        .isEqualTo("Here is the listing.\na.txt\nb.txt");

    JsonObject system = new JsonObject().put("type", "system").put("content", "Conversation compacted");
    assertThat(TranscriptReader.searchableText("system", system))
        .isEqualTo("Conversation compacted");
  }

  @Test
  void theStructuralScanFindsWhatTheParserFindsOrLeavesTheLineToIt() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(TOOL_USE));
    lines.addAll(Files.readAllLines(PRINT_JSON));
    lines.addAll(List.of(
        "{\"message\":{\"type\":\"inner\",\"uuid\":\"nested\"},\"text\":\"a } ] { [ \\\" quote\",\"type\":\"user\",\"uuid\":\"top\"}",
        " { \"type\" : \"assistant\" , \"n\" : [1, {\"type\": \"x\"}], \"uuid\": \"u\" }  ",
        "{\"type\":\"user\",\"uuid\":\"a\\u0062c\",\"timestamp\":null}",
        "{\"type\":\"user\"}{\"type\":\"user\"}",
        "{\"type\":\"user\",",
        "[{\"type\":\"user\"}]",
        "{\"type\":\"用户\",\"sessionId\":\"s-1\"}"));
    for (String line : lines) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      TranscriptReader.LineFields read = fieldsOrNull(bytes, true);
      TranscriptReader.LineFields parsed = fieldsOrNull(bytes, false);
      if (parsed == null) {
        assertThat(read).as(line).isNull();
      } else {
        assertThat(List.of(String.valueOf(read.type), String.valueOf(read.uuid), String.valueOf(read.timestamp),
            String.valueOf(read.sessionId))).as(line).isEqualTo(List.of(String.valueOf(parsed.type),
            String.valueOf(parsed.uuid), String.valueOf(parsed.timestamp), String.valueOf(parsed.sessionId)));
      }
    }
    byte[] nested = lines.get(lines.size() - 7).getBytes(StandardCharsets.UTF_8);
    assertThat(TranscriptReader.LineFields.of(nested, nested.length).uuid).isEqualTo("top");
    byte[] escaped = lines.get(lines.size() - 5).getBytes(StandardCharsets.UTF_8);
    assertThat(TranscriptReader.LineFields.of(escaped, escaped.length).uuid).isEqualTo("abc");
  }
}
