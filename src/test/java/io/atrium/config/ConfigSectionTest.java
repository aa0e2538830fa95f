package io.atrium.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConfigSectionTest {

  @Test
  void aKeyTheSectionLacksFailsNamingSectionDotKey() {
    ConfigSection ingest = ConfigSection.of(new JsonObject().put("ingest", new JsonObject()), "ingest");
    assertThatThrownBy(() -> ingest.integer("concurrency")).hasMessageContaining("ingest.concurrency");
  }

  @Test
  void aMissingSectionFailsNamingIt() {
    assertThatThrownBy(() -> ConfigSection.of(new JsonObject(), "parse")).hasMessageContaining("parse");
  }

  @Test
  void aValueOfTheWrongTypeFailsNamingItsKey() {
    ConfigSection parse = new ConfigSection("parse", new JsonObject().put("ocr", "maybe").put("timeout_s", "long"));
    assertThatThrownBy(() -> parse.bool("ocr")).hasMessageContaining("parse.ocr");
    assertThatThrownBy(() -> parse.longInteger("timeout_s")).hasMessageContaining("parse.timeout_s");
  }

  @Test
  void numbersReadAsTheTypeAskedFor() {
    ConfigSection search = new ConfigSection("search", new JsonObject().put("weight", 1).put("limit", 5_000_000_000L));
    assertThat(search.decimal("weight")).isEqualTo(1.0);
    assertThat(search.longInteger("limit")).isEqualTo(5_000_000_000L);
  }

  @Test
  void aBaseUrlIsHttpOrHttpsWithAHostAndNothingElse() {
    ConfigSection media = new ConfigSection("media", new JsonObject().put("tmdb_base_url", " https://api.themoviedb.org/3 ")
        .put("local", "file:///etc/passwd").put("jar", "jar:file:/x.jar!/").put("none", "").put("bare", "http:/x"));
    assertThat(media.httpUrl("tmdb_base_url", false)).isEqualTo("https://api.themoviedb.org/3");
    assertThatThrownBy(() -> media.httpUrl("local", false)).hasMessageContaining("media.local must be an http or https URL");
    assertThatThrownBy(() -> media.httpUrl("jar", true)).hasMessageContaining("media.jar");
    assertThatThrownBy(() -> media.httpUrl("bare", true)).hasMessageContaining("media.bare");
    assertThatThrownBy(() -> media.httpUrl("none", false)).hasMessageContaining("media.none");
    assertThat(media.httpUrl("none", true)).isEmpty();
  }
}
