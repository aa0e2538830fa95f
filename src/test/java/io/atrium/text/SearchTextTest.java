package io.atrium.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchTextTest {

  @Test
  void chineseRunsAreIndexedAsOverlappingBigrams() {
    assertThat(SearchText.forIndex("我们研究深度学习。Deep Learning!")).isEqualTo("我们 们研 研究 究深 深度 度学 学习 deep learning");
  }

  @Test
  void aChineseRunBecomesItsBigramsOred() {
    assertThat(SearchText.ftsQuery(SearchText.queryTerms("深度学习"))).isEqualTo("\"深度\" OR \"度学\" OR \"学习\"");
    assertThat(SearchText.ftsQuery(SearchText.queryTerms("公司"))).isEqualTo("\"公司\"");
  }

  @Test
  void stopWordsAreDroppedWhenOtherWordsRemain() {
    assertThat(SearchText.ftsQuery(SearchText.queryTerms("What is the effect of aspirin?"))).isEqualTo("\"effect\" OR \"aspirin\"");
    assertThat(SearchText.ftsQuery(SearchText.queryTerms("to be or not to be"))).isEqualTo("\"to\" OR \"be\" OR \"or\" OR \"not\"");
  }

  @Test
  void aQuestionsScriptIsWhatMostOfItsWordsAre() {
    assertThat(SearchText.script("深度学习 with PyTorch")).isEqualTo("cjk");
    assertThat(SearchText.script("What does 深度学习 mean in this paper?")).isEqualTo("latin");
  }

  @Test
  void punctuationOnlyQueriesHaveNoTerms() {
    assertThat(SearchText.queryTerms("?!… — \"")).isEmpty();
  }

  @Test
  void quotesInQueriesCannotBreakTheFtsSyntax() {
    assertThat(SearchText.ftsQuery(SearchText.queryTerms("say \"hi\" OR NEAR(x)"))).doesNotContain("\"\"").contains("\"near\"");
  }
}
