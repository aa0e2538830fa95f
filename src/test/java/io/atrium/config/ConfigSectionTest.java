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
}
