package io.atrium.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A parse in the child process really stops: over the time limit the child and what it started are killed, a heap
 * bomb ends the child, both fail the file permanently with the limit named, and the next file gets a fresh child.
 */
class ParserProcessTest {
  private static final ParseSettings SETTINGS = new ParseSettings(1 << 20, 1000, false, "eng", "", 2, 1, true, 64);
  private final ParserProcess parser = new ParserProcess(SETTINGS, StandInParseChild.class.getName());

  @AfterEach
  void close() {
    parser.close();
  }

  @Test
  void aParseOverTheTimeLimitIsKilledWithWhatItStarted() throws Exception {
    assertThat(parser.parse(Path.of("first.txt")).getString("text")).isEqualTo("fine");
    ProcessHandle child = parser.running();
    long started = System.nanoTime();
    assertThatThrownBy(() -> parser.parse(Path.of("hang.pdf")))
        .isInstanceOfSatisfying(ParseFailure.class, failure -> {
          assertThat(failure.permanent()).isTrue();
          assertThat(failure.getMessage()).isEqualTo("parse exceeded 2 s and was stopped");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(child.isAlive()).isFalse();
    assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("sleep 600")))
        .as("the child's own child (Tesseract, in real life) is gone too").isEmpty();
    assertThat(parser.parse(Path.of("after.txt")).getString("text")).as("a fresh child").isEqualTo("fine");
    assertThat(parser.running().pid()).isNotEqualTo(child.pid());
  }

  @Test
  void aParseThatExhaustsTheChildsHeapEndsItNotAtrium() throws Exception {
    assertThatThrownBy(() -> parser.parse(Path.of("bomb.pdf")))
        .isInstanceOfSatisfying(ParseFailure.class, failure -> {
          assertThat(failure.permanent()).isTrue();
          assertThat(failure.getMessage()).contains("exceeded the parser's 64 MB memory limit");
        });
    assertThat(parser.parse(Path.of("after.txt")).getString("text")).isEqualTo("fine");
  }

  @Test
  void closingStopsTheChild() throws Exception {
    parser.parse(Path.of("first.txt"));
    ProcessHandle child = parser.running();
    parser.close();
    assertThat(child.onExit().get()).isNotNull();
    assertThat(List.of(child.isAlive())).containsExactly(false);
  }
}
