package io.atrium.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputLogTest {
  @TempDir
  Path dir;

  private Path log() {
    return dir.resolve("conversations/c1/inputs.jsonl");
  }

  private static JsonObject input(int n, String content) {
    return new JsonObject().put("role", "user").put("content", content)
        .put("timestamp", "2026-11-22T18:40:" + n + "Z").put("metadata", new JsonObject().put("n", n));
  }

  private static List<Integer> numbers(List<JsonObject> records) {
    return records.stream().map(r -> r.getJsonObject("metadata").getInteger("n")).toList();
  }

  @Test
  void appendedInputsReadBackNewestFirst() throws IOException {
    for (int n = 1; n <= 3; n++) {
      InputLog.append(log(), input(n, "question " + n));
    }
    assertThat(InputLog.newestFirst(log(), 10)).containsExactly(
        input(3, "question 3"), input(2, "question 2"), input(1, "question 1"));
    assertThat(Files.readString(log())).endsWith("}\n").hasLineCount(3);
  }

  @Test
  void theLimitKeepsOnlyTheNewest() throws IOException {
    for (int n = 1; n <= 20; n++) {
      InputLog.append(log(), input(n, "q" + n));
    }
    assertThat(numbers(InputLog.newestFirst(log(), 3))).containsExactly(20, 19, 18);
    assertThat(InputLog.newestFirst(log(), 0)).isEmpty();
  }

  @Test
  void tinyBlocksReadLongLinesAndCharactersCutAtTheirBoundaries() throws IOException {
    String[] texts = {"深度学习与自然语言处理", "emoji 🙂🚀 and 中文 mixed", "x".repeat(500) + "尾", "", "é", "🧪".repeat(40)};
    for (int n = 0; n < 60; n++) {
      InputLog.append(log(), input(n, texts[n % texts.length] + " #" + n));
    }
    List<JsonObject> forward = new ArrayList<>(Files.readAllLines(log()).stream().map(JsonObject::new).toList());
    List<JsonObject> newestFirst = forward.reversed();
    for (int blockBytes : new int[] {1, 2, 3, 7, 64, 4096}) {
      assertThat(InputLog.newestFirst(log(), 1000, blockBytes)).as("blocks of %d bytes", blockBytes)
          .isEqualTo(newestFirst);
      assertThat(InputLog.newestFirst(log(), 5, blockBytes)).isEqualTo(newestFirst.subList(0, 5));
    }
  }

  @Test
  void aTornLastLineIsSkipped() throws IOException {
    InputLog.append(log(), input(1, "whole"));
    Files.writeString(log(), "{\"role\":\"user\",\"content\":\"cut of", StandardOpenOption.APPEND);
    assertThat(numbers(InputLog.newestFirst(log(), 10, 7))).containsExactly(1);
  }

  @Test
  void aRecordAppendedAfterATornWriteStillReadsBack() throws IOException {
    InputLog.append(log(), input(1, "whole"));
    Files.writeString(log(), "{\"role\":\"user\",\"content\":\"cut of", StandardOpenOption.APPEND);
    InputLog.append(log(), input(2, "after the crash"));
    assertThat(numbers(InputLog.newestFirst(log(), 10))).containsExactly(2, 1);
  }

  @Test
  void linesThatAreNotJsonObjectsAreSkipped() throws IOException {
    InputLog.append(log(), input(1, "first"));
    Files.writeString(log(), "not json\n[1,2]\n42\nnull\n\n{\"open\":\n", StandardOpenOption.APPEND);
    InputLog.append(log(), input(2, "second"));
    assertThat(numbers(InputLog.newestFirst(log(), 10, 7))).containsExactly(2, 1);
  }

  @Test
  void aMissingFileHasNoInputs() throws IOException {
    assertThat(InputLog.newestFirst(dir.resolve("never-written.jsonl"), 10)).isEmpty();
  }

  @Test
  void aLargeLogIsAnsweredFromItsTail() throws IOException {
    String head = "{\"role\":\"user\",\"content\":\"" + "p".repeat(480) + "\",\"metadata\":{\"n\":";
    Files.createDirectories(log().getParent());
    try (BufferedWriter out = Files.newBufferedWriter(log(), StandardCharsets.UTF_8)) {
      for (int n = 0; n < 100_000; n++) {
        out.write(head);
        out.write(Integer.toString(n));
        out.write("}}\n");
      }
    }
    assertThat(Files.size(log())).isGreaterThan(50_000_000L);
    assertThat(numbers(InputLog.newestFirst(log(), 10)))
        .isEqualTo(IntStream.range(0, 10).map(i -> 99_999 - i).boxed().toList());
  }

  /** Eight sparse gigabytes without a newline before the tail: reading past the tail could not come back. */
  @Test
  void onlyTheTailIsRead() throws IOException {
    Files.createDirectories(log().getParent());
    try (FileChannel channel = FileChannel.open(log(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.position(8L << 30);
      StringBuilder tail = new StringBuilder("\n");
      for (int n = 0; n < 10; n++) {
        tail.append(input(n, "after the hole").encode()).append('\n');
      }
      channel.write(ByteBuffer.wrap(tail.toString().getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(numbers(InputLog.newestFirst(log(), 10))).containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  }
}
