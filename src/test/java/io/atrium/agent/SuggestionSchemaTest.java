package io.atrium.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SuggestionSchemaTest {

  @Test
  void priorityIsNormalisedAndDuplicateTitlesCollapse() throws Exception {
    JsonArray subtasks = SuggestionSchema.subtasks("""
        {"suggested_subtasks": [{"title": "设计数据库 Schema", "priority": "高"}, {"title": "Deploy", "priority": "medium"},
        {"title": "deploy", "priority": "High"}]}""");
    assertThat(subtasks).containsExactly(
        new JsonObject().put("title", "设计数据库 Schema").put("priority", "High"),
        new JsonObject().put("title", "Deploy").put("priority", "Medium"));
  }

  @Test
  void refusalsNameWhatIsWrong() {
    assertThatThrownBy(() -> SuggestionSchema.subtasks("no json here")).hasMessageContaining("one JSON object");
    assertThatThrownBy(() -> SuggestionSchema.subtasks("{\"suggested_subtasks\": []}")).hasMessageContaining("non-empty");
    assertThatThrownBy(() -> SuggestionSchema.subtasks("{\"suggested_subtasks\": [{\"title\": \"a\", \"priority\": \"P1\"}]}"))
        .hasMessageContaining("High, Medium, Low");
    assertThatThrownBy(() -> SuggestionSchema.subtasks("{\"suggested_subtasks\": [\"a\"]}")).hasMessageContaining("object");
    assertThatThrownBy(() -> SuggestionSchema.tags("{\"suggested_tags\": [1, 2]}")).hasMessageContaining("string");
    assertThatThrownBy(() -> SuggestionSchema.tags("{\"suggested_tags\": [\"#\", \"  \"]}")).hasMessageContaining("no usable tag");
    assertThatThrownBy(() -> SuggestionSchema.scores("{\"scores\": [1, 11]}", 2)).hasMessageContaining("0 to 10");
    assertThatThrownBy(() -> SuggestionSchema.scores("{\"scores\": [1]}", 2)).hasMessageContaining("exactly 2");
  }

  @Test
  void tagsLoseHashesAndCaseAndKeepTheirFirstOrder() throws Exception {
    assertThat(SuggestionSchema.tags("Here you go:\n```json\n{\"suggested_tags\": [\"#Machine Learning\", \"machine  learning\", \"深度学习\"]}\n```"))
        .containsExactly("machine learning", "深度学习");
  }

  @Test
  void rerankKeepsUnjudgedResultsAfterTheJudgedOnes() {
    JsonArray results = new JsonArray().add(new JsonObject().put("id", 1)).add(new JsonObject().put("id", 2))
        .add(new JsonObject().put("id", 3));
    JsonArray sorted = Reranker.reorder(results, new double[] {2, 7});
    assertThat(sorted.stream().map(r -> ((JsonObject) r).getInteger("id")).toList()).containsExactly(2, 1, 3);
  }
}
