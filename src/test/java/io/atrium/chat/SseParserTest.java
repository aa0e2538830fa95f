package io.atrium.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<String> events = new ArrayList<>();
  private final SseParser parser = new SseParser((event, data) -> events.add(event + "|" + data));

  @Test
  void eventsSplitAnywhereAcrossChunksComeOutWhole() {
    String stream = "event: message_start\ndata: {\"a\":1}\n\n: a comment\ndata: {\"b\":\ndata: 2}\n\nevent: x\ndata: last";
    for (int i = 0; i < stream.length(); i++) {
      parser.feed(Buffer.buffer(stream.substring(i, i + 1)));
    }
    parser.end();
    assertThat(events).containsExactly("message_start|{\"a\":1}", "message|{\"b\":\n2}", "x|last");
  }

  @Test
  void crlfLineEndingsSplitBetweenChunksMakeNoEmptyEvents() {
    parser.feed(Buffer.buffer("data: {\"t\":\"The\"}\r"));
    parser.feed(Buffer.buffer("\n\r"));
    parser.feed(Buffer.buffer("\ndata: {\"t\":\" capital\"}\r\n\r\n"));
    parser.end();
    assertThat(events).containsExactly("message|{\"t\":\"The\"}", "message|{\"t\":\" capital\"}");
  }

  @Test
  void anEndlessEventIsRefused() {
    Buffer megabyte = Buffer.buffer("x".repeat(1024 * 1024));
    parser.feed(Buffer.buffer("data: "));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      for (int i = 0; i < 5; i++) {
        parser.feed(megabyte);
      }
    }).isInstanceOf(IllegalStateException.class);
    assertThat(events).isEmpty();
  }

  @Test
  void aMultiByteCharacterCutBetweenChunksIsDecodedWhole() {
    byte[] bytes = "data: 黑体字\n\n".getBytes(StandardCharsets.UTF_8);
    parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, 8)));
    parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 8, bytes.length)));
    assertThat(events).containsExactly("message|黑体字");
  }

  @Test
  void aStreamCutInTwoAtAnyByteGivesTheEventsOfTheWholeStream() {
    byte[] stream = ("event: a\r\ndata: {\"t\":\"é\"}\r\n\r\n: ping\n\ndata: one\ndata:two\n\nid: 7\r"
        + "data\r\rdata: last").getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= stream.length; cut++) {
      List<String> seen = new ArrayList<>();
      SseParser cutParser = new SseParser((event, data) -> seen.add(event + "|" + data));
      cutParser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(stream, 0, cut)));
      cutParser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(stream, cut, stream.length)));
      cutParser.end();
      assertThat(seen).as("cut at %d", cut)
          .containsExactly("a|{\"t\":\"é\"}", "message|one\ntwo", "message|", "message|last");
    }
  }
}
