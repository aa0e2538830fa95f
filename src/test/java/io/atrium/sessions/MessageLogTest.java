package io.atrium.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageLogTest {
  @TempDir
  Path dir;

  private static String line(String type, String uuid, String text) {
    return new JsonObject().put("type", type).put("uuid", uuid).put("message", new JsonObject().put("content", text))
        .encode() + "\n";
  }

  /** Reads the transcript as a sync does and copies each batch into the log; answers the rows of every batch. */
  private JsonArray sync(Path transcript, long from, MessageLog.Appender log) throws IOException {
    JsonArray rows = new JsonArray();
    try (FileChannel source = FileChannel.open(transcript, StandardOpenOption.READ)) {
      TranscriptReader.read(transcript, from, 2, (batch, offsetAfter) -> rows.addAll(log.copy(source, batch, offsetAfter)));
    }
    return rows;
  }

  private static List<String> texts(JsonArray rows) {
    List<String> texts = new ArrayList<>();
    rows.forEach(row -> texts.add(((JsonObject) row).getJsonObject("content").getJsonObject("message").getString("content")));
    return texts;
  }

  @Test
  void rowsPointAtTheirLinesInTheLogAndReadBackWhole() throws IOException {
    Path transcript = dir.resolve("cli.jsonl");
    Files.writeString(transcript, line("user", "u1", "hello") + "{\"type\":\"attachment\"}\n"
        + line("assistant", "a1", "héllo back, 你好") + line("user", "u2", "bye"));
    Path logFile = dir.resolve("conversations/w/ab/abc.messages.jsonl");
    JsonArray rows;
    try (MessageLog.Appender log = MessageLog.open(logFile, 0)) {
      rows = sync(transcript, 0, log);
      assertThat(log.length()).isEqualTo(Files.size(logFile));
    }
    assertThat(rows.stream().map(r -> ((JsonObject) r).getString("uuid")).toList()).containsExactly("u1", "a1", "u2");
    assertThat(texts(MessageLog.fill(logFile, rows.copy()))).containsExactly("hello", "héllo back, 你好", "bye");
    assertThat(MessageLog.fill(logFile, rows.copy()).getJsonObject(0).fieldNames()).doesNotContain("content_offset",
        "content_length", "content_missing");
  }

  @Test
  void bytesOfABatchThatNeverCommittedAreCutBeforeTheNextAppend() throws IOException {
    Path transcript = dir.resolve("cli.jsonl");
    Files.writeString(transcript, line("user", "u1", "one") + line("assistant", "a1", "two"));
    Path logFile = dir.resolve("abc.messages.jsonl");
    long committed;
    try (MessageLog.Appender log = MessageLog.open(logFile, 0)) {
      sync(transcript, 0, log);
      committed = log.length();
    }
    Files.writeString(transcript, line("user", "u2", "three") + line("assistant", "a2", "four"),
        StandardOpenOption.APPEND);
    try (MessageLog.Appender crashed = MessageLog.open(logFile, committed)) {
      sync(transcript, committed, crashed); // copied, but its rows never reached the store
    }
    JsonArray rows;
    try (MessageLog.Appender retry = MessageLog.open(logFile, committed)) {
      rows = sync(transcript, committed, retry);
      assertThat(retry.length()).isEqualTo(Files.size(transcript));
    }
    assertThat(Files.size(logFile)).as("the uncommitted copy was cut, not left behind").isEqualTo(Files.size(transcript));
    assertThat(texts(MessageLog.fill(logFile, rows))).containsExactly("three", "four");
  }

  @Test
  void aLostLogGivesRowsWithoutContentAndLeavesInlineRowsAlone() throws IOException {
    JsonArray rows = new JsonArray()
        .add(new JsonObject().put("id", 1).put("content", null).put("content_offset", 0).put("content_length", 10))
        .add(new JsonObject().put("id", 2).put("content", new JsonObject().put("info", "inline")));
    JsonArray filled = MessageLog.fill(dir.resolve("gone.messages.jsonl"), rows);
    assertThat(filled.getJsonObject(0).getValue("content")).isNull();
    assertThat(filled.getJsonObject(0).getBoolean("content_missing")).isTrue();
    assertThat(filled.getJsonObject(0).fieldNames()).doesNotContain("content_offset", "content_length");
    assertThat(filled.getJsonObject(1).getJsonObject("content").getString("info")).isEqualTo("inline");
    assertThat(filled.getJsonObject(1).containsKey("content_missing")).isFalse();
  }
}
