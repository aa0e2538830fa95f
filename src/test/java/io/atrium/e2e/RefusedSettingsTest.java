package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * atrium started for real (io.atrium.app.Main in a child JVM) with a setting it does not know or cannot use: it
 * exits 1 and says so in one line naming the key, with no stack trace to dig it out of.
 */
class RefusedSettingsTest {

  @Test
  void aMisspeltVariableStopsTheStartInOneLineNamingTheNearestSetting(@TempDir Path dir) throws Exception {
    assertThat(refusedStart(dir, Map.of("ATRIUM_SERCH_ENGINE", "fts5")))
        .endsWith("atrium failed to start: unknown setting ATRIUM_SERCH_ENGINE (search.engine?)");
  }

  @Test
  void aValueOfTheWrongTypeStopsTheStartInOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    assertThat(refusedStart(dir, Map.of("ATRIUM_HTTP_PORT", "abc")))
        .endsWith("atrium failed to start: ATRIUM_HTTP_PORT (http.port) must be a whole number, not 'abc'");
  }

  @Test
  void aValueAVerticleRefusesAtItsStartIsOneLineToo(@TempDir Path dir) throws Exception {
    assertThat(refusedStart(dir, Map.of("ATRIUM_HTTP_TICKET_TTL_S", "0")))
        .endsWith("atrium failed to start: http.ticket_ttl_s must be at least 1, not 0");
  }

  /** Starts atrium with {@code env}, waits for it to exit 1, and answers its one ERROR line (no trace may follow). */
  private static String refusedStart(Path dir, Map<String, String> env) throws Exception {
    Path log = dir.resolve("atrium.log");
    ChildAtrium child = ChildAtrium.start(dir.resolve("data"), env, log);
    try {
      assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).as("atrium exited").isTrue();
    } finally {
      child.process.destroyForcibly(); // one that started anyway must not outlive the test
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(child.process.exitValue()).as(String.join("\n", lines)).isEqualTo(1);
    assertThat(lines).as("a stack trace").noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
    List<String> errors = lines.stream().filter(line -> line.contains(" ERROR ")).toList();
    assertThat(errors).as(String.join("\n", lines)).hasSize(1);
    return errors.get(0);
  }
}
