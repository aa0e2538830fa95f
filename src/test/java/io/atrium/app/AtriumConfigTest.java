package io.atrium.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtriumConfigTest {

  @Test
  void theBuiltInDefaultsAreConfAtriumYamlItself() throws IOException {
    try (InputStream shipped = Files.newInputStream(Path.of("conf/atrium.yaml"))) {
      assertThat(AtriumConfig.load(null, Map.of())).isEqualTo(AtriumConfig.readYaml(shipped, "conf/atrium.yaml"));
    }
    assertThat(AtriumConfig.load(Path.of("conf/atrium.yaml"), Map.of())).isEqualTo(AtriumConfig.defaults());
  }

  @Test
  void environmentOverridesKeepTheDefaultsType() {
    JsonObject config = AtriumConfig.load(null, Map.of("ATRIUM_HTTP_PORT", "9090", "ATRIUM_DATA_DIR", "/srv/atrium",
        "ATRIUM_PARSE_OCR", "false", "ATRIUM_EMBED_REMOTE_BASE_URL", "http://localhost:1/v1", "OTHER_VAR", "x"));
    assertThat(config.getJsonObject("http").getValue("port")).isEqualTo(9090);
    assertThat(config.getJsonObject("data").getString("dir")).isEqualTo("/srv/atrium");
    assertThat(config.getJsonObject("parse").getValue("ocr")).isEqualTo(false);
    assertThat(config.getJsonObject("embed").getString("remote_base_url")).isEqualTo("http://localhost:1/v1");
  }

  @Test
  void aMistypedOverrideIsRefusedWithItsName() {
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_HTTP_PORT", "abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ATRIUM_HTTP_PORT (http.port) must be a whole number, not 'abc'");
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_PARSE_OCR", "maybe")))
        .hasMessage("ATRIUM_PARSE_OCR (parse.ocr) must be true or false, not 'maybe'");
  }

  @Test
  void aMisspeltVariableIsRefusedNamingTheNearestSetting() {
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_SERCH_ENGINE", "fts5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown setting ATRIUM_SERCH_ENGINE (search.engine?)");
    // sections have no underscore, keys may: the key is everything after the section
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_EMBED_REMOTE_BASEURL", "http://x")))
        .hasMessage("unknown setting ATRIUM_EMBED_REMOTE_BASEURL (embed.remote_base_url?)");
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_HTTPPORT", "1")))
        .hasMessage("unknown setting ATRIUM_HTTPPORT (http.port?)");
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_CONFG", "my.yaml")))
        .hasMessage("unknown setting ATRIUM_CONFG (ATRIUM_CONFIG?)");
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_XYZZY_PLUGH", "1")))
        .hasMessage("unknown setting ATRIUM_XYZZY_PLUGH (conf/atrium.yaml lists every setting)");
  }

  @Test
  void atriumVariablesThatAreNotSettingsAreLeftAlone() {
    Map<String, String> env = Map.of("ATRIUM_CONFIG", "conf/atrium.yaml", "ATRIUM_SHARED", "../shared",
        "ATRIUM_BENCH_DATA", "/data", "ATRIUM_BENCH_CACHE", "/cache");
    assertThat(AtriumConfig.load(null, env)).isEqualTo(AtriumConfig.defaults());
  }

  @Test
  void everyProblemOfTheEnvironmentIsToldInOneLine() {
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_SERCH_ENGINE", "fts5", "ATRIUM_HTTP_PORT", "abc",
        "ATRIUM_CHAT_TIMEOUT", "5")))
        .hasMessage("unknown setting ATRIUM_CHAT_TIMEOUT (chat.timeout_ms?); "
            + "ATRIUM_HTTP_PORT (http.port) must be a whole number, not 'abc'; "
            + "unknown setting ATRIUM_SERCH_ENGINE (search.engine?)");
  }

  @Test
  void aFileNeedsHoldOnlyItsChangesAndTheEnvironmentOverridesIt(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("mine.yaml"), "http:\n  port: 9000\n  host: 127.0.0.2\nsearch:\n  engine: fts5\n");
    JsonObject config = AtriumConfig.load(file, Map.of("ATRIUM_HTTP_PORT", "9001"));
    assertThat(config.getJsonObject("http").getValue("port")).isEqualTo(9001);
    assertThat(config.getJsonObject("http").getString("host")).isEqualTo("127.0.0.2");
    assertThat(config.getJsonObject("search").getString("engine")).isEqualTo("fts5");
    assertThat(config.getJsonObject("chat")).isEqualTo(AtriumConfig.defaults().getJsonObject("chat"));
  }

  @Test
  void aFileWithAnUnknownNameOrAWronglyTypedValueIsRefusedNamingEach(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("mine.yaml"), """
        serch:
          engine: fts5
        http:
          prot: 9090
          port: abc
        parse:
          ocr: maybe
          timeout_s: 1.5
        chat:
          weird: {a: 1}
          openai_base_url: {a: 1}
        """);
    assertThatThrownBy(() -> AtriumConfig.load(file, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown section serch in " + file + " (search?); "
            + "unknown setting http.prot in " + file + " (http.port?); "
            + "http.port in " + file + " must be a whole number, not 'abc'; "
            + "parse.ocr in " + file + " must be true or false, not 'maybe'; "
            + "parse.timeout_s in " + file + " must be a whole number, not '1.5'; "
            + "unknown setting chat.weird in " + file + " (conf/atrium.yaml lists every setting); "
            + "chat.openai_base_url in " + file + " must be text or a list, not '{\"a\":1}'");
  }

  @Test
  void textKeysTakeAnyScalarOrAListDatesIncludedAndDecimalsTakeWholeNumbers(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("mine.yaml"), """
        http:
          allowed_hosts: [nas.lan, atrium.example.org]
        chat:
          anthropic_version: 2023-06-01
          deepseek_api_key: 1234
        search:
          weighted_vector_weight: 1
        """);
    JsonObject config = AtriumConfig.load(file, Map.of());
    assertThat(config.getJsonObject("http").getJsonArray("allowed_hosts")).containsExactly("nas.lan", "atrium.example.org");
    // an unquoted date is the text it looks like, not a timestamp
    assertThat(config.getJsonObject("chat").getValue("anthropic_version")).isEqualTo("2023-06-01");
    assertThat(config.getJsonObject("search").getValue("weighted_vector_weight")).isEqualTo(1);
  }

  @Test
  void aFileThatIsMissingOrNotYamlIsRefusedInOneLine(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> AtriumConfig.load(dir.resolve("typo.yaml"), Map.of()))
        .hasMessage("the configuration file " + dir.resolve("typo.yaml") + " does not exist");
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "http:\n  port: 1\n   host: x\n");
    assertThatThrownBy(() -> AtriumConfig.load(broken, Map.of()))
        .hasMessageStartingWith(broken + " is not valid YAML: ")
        .hasMessageContaining("(line 3, column")
        .hasMessageNotContaining("\n");
    Path list = Files.writeString(dir.resolve("list.yaml"), "- http\n");
    assertThatThrownBy(() -> AtriumConfig.load(list, Map.of())).hasMessage(list + " must be a mapping of sections");
  }
}
