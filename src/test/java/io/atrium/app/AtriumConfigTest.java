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

class AtriumConfigTest {

  @Test
  void theBuiltInDefaultsAreConfAtriumYamlItself() throws IOException {
    try (InputStream shipped = Files.newInputStream(Path.of("conf/atrium.yaml"))) {
      assertThat(AtriumConfig.load(null, Map.of())).isEqualTo(AtriumConfig.readYaml(shipped));
    }
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
    assertThatThrownBy(() -> AtriumConfig.load(null, Map.of("ATRIUM_HTTP_PORT", "eighty")))
        .hasMessageContaining("ATRIUM_HTTP_PORT");
  }
}
