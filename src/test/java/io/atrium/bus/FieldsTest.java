package io.atrium.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Every verticle's field checks: the wrong field is a 400 that names it; an absent optional field is null. */
class FieldsTest {

  @Test
  void positiveIntegersRefuseZeroFractionsAndStrings() {
    assertThat(Fields.optionalPositiveLong(new JsonObject().put("id", 7), "id")).isEqualTo(7L);
    assertThat(Fields.optionalPositiveLong(new JsonObject(), "id")).isNull();
    for (Object bad : new Object[] {0, -3, 1.5, "7", true}) {
      assertRefused(() -> Fields.optionalPositiveLong(new JsonObject().put("id", bad), "id"), "id must be a positive integer");
    }
    assertRefused(() -> Fields.positiveLong(new JsonObject(), "id"), "id must be a positive integer");
  }

  @Test
  void booleansAreOnlyTrueOrFalse() {
    assertThat(Fields.optionalBoolean(new JsonObject().put("async", true), "async")).isTrue();
    assertThat(Fields.optionalBoolean(new JsonObject(), "async")).isNull();
    assertRefused(() -> Fields.optionalBoolean(new JsonObject().put("async", "yes"), "async"), "async must be true or false");
  }

  @Test
  void textIsNonBlankBoundedAndStripped() {
    assertThat(Fields.text(new JsonObject().put("title", "  Plan  "), "title", 10, true)).isEqualTo("Plan");
    assertThat(Fields.text(new JsonObject(), "title", 10, false)).isNull();
    assertRefused(() -> Fields.text(new JsonObject(), "title", 10, true), "title must be a non-empty string of at most 10");
    assertRefused(() -> Fields.text(new JsonObject().put("title", "   "), "title", 10, true), "title");
    assertRefused(() -> Fields.text(new JsonObject().put("title", "x".repeat(11)), "title", 10, true), "at most 10");
    assertRefused(() -> Fields.text(new JsonObject().put("model", 3), "model", Integer.MAX_VALUE, true),
        "model must be a non-empty string");
  }

  @Test
  void optionalStringsMayBeBlankButNotTooLong() {
    assertThat(Fields.optionalString(new JsonObject().put("context", ""), "context", 5)).isEmpty();
    assertRefused(() -> Fields.optionalString(new JsonObject().put("context", "toolong"), "context", 5),
        "context must be a string of at most 5 characters");
  }

  @Test
  void outboundUrlsAreHttpOrHttpsWithoutSecretsInThem() {
    assertThat(Fields.optionalHttpUrl(new JsonObject().put("base_url", " https://api.example/v1 "), "base_url"))
        .isEqualTo("https://api.example/v1");
    assertThat(Fields.optionalHttpUrl(new JsonObject(), "base_url")).isNull();
    for (Object bad : new Object[] {"file:///etc/passwd", "jar:file:/x!/y", "/v1", "ftp://h/", "", 3}) {
      assertRefused(() -> Fields.optionalHttpUrl(new JsonObject().put("base_url", bad), "base_url"),
          "base_url must be an http or https URL");
    }
    assertRefused(() -> Fields.optionalHttpUrl(new JsonObject().put("base_url", "https://u:p@h/v1"), "base_url"),
        "must not carry credentials");
    assertRefused(() -> Fields.httpUrl("file:///x", "rerank.base_url"), "rerank.base_url must be an http");
  }

  private static void assertRefused(Runnable check, String message) {
    assertThatThrownBy(check::run).isInstanceOf(ReplyException.class).hasMessageContaining(message)
        .satisfies(e -> assertThat(((ReplyException) e).failureCode()).isEqualTo(400));
  }
}
