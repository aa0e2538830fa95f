package io.atrium.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.impl.NoStackTraceException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void aRefusedSettingIsToldInOneLineAndAnyOtherFailureKeepsItsStackTrace() {
    assertThat(Main.refusal(new IllegalArgumentException("unknown setting ATRIUM_SERCH_ENGINE (search.engine?)")))
        .isEqualTo("unknown setting ATRIUM_SERCH_ENGINE (search.engine?)");
    // a setting a verticle refused while it started, as the deployment reports it
    assertThat(Main.refusal(new IllegalStateException("deployment failed",
        new IllegalArgumentException("search.engine must be lucene or fts5,\n  not fts6"))))
        .isEqualTo("search.engine must be lucene or fts5, not fts6");
    assertThat(Main.refusal(new IllegalStateException("cannot open SQLite database"))).isNull();
    assertThat(Main.refusal(new NoStackTraceException("no cause"))).isNull();
  }

  @Test
  void theFileToStartWithIsTheOneNamedElseTheProjectsOwn() {
    assertThat(Main.configFile(Map.of("ATRIUM_CONFIG", "/etc/atrium.yaml"), new String[] {"other.yaml"}))
        .isEqualTo(Path.of("/etc/atrium.yaml"));
    assertThat(Main.configFile(Map.of(), new String[] {"/missing.yaml"})).isEqualTo(Path.of("/missing.yaml"));
    assertThat(Main.configFile(Map.of(), new String[0])).isEqualTo(Path.of("conf/atrium.yaml"));
  }
}
