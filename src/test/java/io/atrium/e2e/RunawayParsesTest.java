package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression bombs are parsed in the parser's own process: three at once all end in error with the limit named,
 * atrium's heap is where it was, no parse of theirs runs on, and the file uploaded after them is indexed.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class RunawayParsesTest {

  @Test
  void threeBombsAtOnceEndInErrorAndLeaveAtriumsHeapAlone(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start(Map.of("ATRIUM_PARSE_TIMEOUT_S", "60",
        "ATRIUM_PARSE_MAX_HEAP_MB", "384"));
    long heapBefore = usedHeapAfterGc();
    Path bomb = AtriumHarness.doc("edge/bomb_giant.pdf");
    Path note = Files.writeString(dataDir.resolve("note.txt"), "A short note that must not wait behind the bombs.");
    JsonArray resources = atrium.upload(bomb, bomb, bomb, note).bodyAsJsonObject().getJsonArray("resources");

    for (int i = 0; i < 3; i++) {
      JsonObject status = atrium.awaitStatus(resources.getJsonObject(i).getLong("resource_id"), Duration.ofMinutes(4),
          "done", "error");
      assertThat(status.getString("status")).as(status.encode()).isEqualTo("error");
      assertThat(status.getString("last_error")).as(status.encode()).contains("exceeded");
    }
    JsonObject after = atrium.awaitStatus(resources.getJsonObject(3).getLong("resource_id"), Duration.ofMinutes(2),
        "done", "error");
    assertThat(after.getString("status")).as(after.encode()).isEqualTo("done");

    assertThat(usedHeapAfterGc() - heapBefore).as("bytes of atrium's heap the bombs left behind")
        .isLessThan(200L << 20);
    assertThat(Thread.getAllStackTraces().keySet()).as("no parse runs on a thread of atrium's")
        .noneMatch(thread -> thread.getName().startsWith("atrium-tika"));
    assertThat(ProcessHandle.current().descendants()
        .filter(process -> process.info().commandLine().orElse("").contains("ParseChild")).count())
        .as("at most the one child that parsed the note is left").isLessThanOrEqualTo(1);
    atrium.stop();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
