package io.atrium.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.SearchHit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextPackerTest {
  @Test
  void chunksThatDoNotFitTheBudgetAreSkippedAndCitationsAreExactlyThoseUsed() {
    List<SearchHit> results = List.of(
        result(1, 10, "alpha ".repeat(50), 3),
        result(1, 11, "beta ".repeat(500), null),
        result(2, 20, "gamma ".repeat(40), null));
    ContextPacker.Context context = ContextPacker.pack(results, 100);
    assertThat(context.chunkIds()).containsExactly(10L, 20L);
    assertThat(context.citations()).isEqualTo(new JsonArray()
        .add(new JsonObject().put("resource_id", 1L).put("chunk_id", 10L).put("page", 3))
        .add(new JsonObject().put("resource_id", 2L).put("chunk_id", 20L)));
    assertThat(context.systemText()).contains("[1] doc1.pdf, page 3\nalpha").contains("[2] doc2.pdf\ngamma").doesNotContain("beta");
    assertThat(ContextPacker.pack(List.of(), 100).systemText()).isNull();
  }

  private static SearchHit result(long resource, long chunk, String text, Integer page) {
    return new SearchHit(resource, chunk, 0.5, text, text, "/data/files/doc" + resource + ".pdf", page,
        new SearchHit.Match(1, null, null, null, null));
  }
}
