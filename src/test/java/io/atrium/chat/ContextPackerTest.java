package io.atrium.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ContextPackerTest {
  @Test
  void chunksThatDoNotFitTheBudgetAreSkippedAndCitationsAreExactlyThoseUsed() {
    JsonArray results = new JsonArray()
        .add(result(1, 10, "alpha ".repeat(50), 3))
        .add(result(1, 11, "beta ".repeat(500), null))
        .add(result(2, 20, "gamma ".repeat(40), null));
    ContextPacker.Context context = ContextPacker.pack(results, 100);
    assertThat(context.chunkIds()).containsExactly(10L, 20L);
    assertThat(context.citations()).isEqualTo(new JsonArray()
        .add(new JsonObject().put("resource_id", 1L).put("chunk_id", 10L).put("page", 3))
        .add(new JsonObject().put("resource_id", 2L).put("chunk_id", 20L)));
    assertThat(context.systemText()).contains("[1] doc1.pdf, page 3\nalpha").contains("[2] doc2.pdf\ngamma").doesNotContain("beta");
    assertThat(ContextPacker.pack(new JsonArray(), 100).systemText()).isNull();
  }

  private static JsonObject result(long resource, long chunk, String text, Integer page) {
    JsonObject source = new JsonObject().put("file_path", "/data/files/doc" + resource + ".pdf");
    if (page != null) {
      source.put("page", page);
    }
    return new JsonObject().put("resource_id", resource).put("chunk_id", chunk).put("text", text).put("source", source);
  }
}
