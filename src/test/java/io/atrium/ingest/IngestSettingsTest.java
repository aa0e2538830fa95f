package io.atrium.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.app.AtriumConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How long ingest waits for a parse: never less than the parses queued before it may take. */
class IngestSettingsTest {

  private static IngestSettings settings(Map<String, String> env) {
    JsonObject config = AtriumConfig.load(null, env);
    return IngestSettings.fromJson(new JsonObject().put("ingest", config.getJsonObject("ingest"))
        .put("parse", config.getJsonObject("parse")).put("files_dir", "/tmp/files"));
  }

  @Test
  void aParseRequestWaitsForEveryParseThatMayRunBeforeItAtTheirFullLimit() {
    // two files in flight, one parse worker: the second file's parse may start only when the first one's ends
    IngestSettings twoOnOne = settings(Map.of("ATRIUM_INGEST_CONCURRENCY", "2", "ATRIUM_PARSE_INSTANCES", "1",
        "ATRIUM_PARSE_TIMEOUT_S", "120"));
    assertThat(twoOnOne.parseTimeoutMs()).isGreaterThan(2 * 120_000L);
    IngestSettings twoOnTwo = settings(Map.of("ATRIUM_INGEST_CONCURRENCY", "2", "ATRIUM_PARSE_INSTANCES", "2",
        "ATRIUM_PARSE_TIMEOUT_S", "120"));
    assertThat(twoOnTwo.parseTimeoutMs()).isGreaterThan(120_000L).isLessThan(twoOnOne.parseTimeoutMs());
    assertThat(twoOnTwo.filesDir()).isEqualTo("/tmp/files");
  }
}
