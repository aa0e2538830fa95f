package io.atrium.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

/** What Lucene indexes and searches for: the same words FTS5 matches (stems, CJK bigrams, no stop words). */
class TextAnalyzerTest {

  @Test
  void chineseRunsBecomeOverlappingBigramsAndATwoCharacterWordStaysWhole() throws IOException {
    assertThat(terms("深度学习")).containsExactly("深度", "度学", "学习");
    assertThat(terms("公司")).containsExactly("公司");
    assertThat(terms("这家公司")).containsExactly("这家", "家公", "公司");
  }

  @Test
  void englishWordsAreLowerCasedStemmedAndStopWordsDropped() throws IOException {
    assertThat(terms("The Runner's dogs were RUNNING")).containsExactly("runner", "dog", "were", "run");
  }

  @Test
  void fullWidthLatinIsFolded() throws IOException {
    assertThat(terms("ＬＵＣＥＮＥ")).containsExactly("lucen");
  }

  @Test
  void mixedTextKeepsBothScripts() throws IOException {
    assertThat(terms("BM25 排序")).containsExactly("bm25", "排序");
  }

  private static List<String> terms(String text) throws IOException {
    List<String> terms = new ArrayList<>();
    try (TextAnalyzer analyzer = new TextAnalyzer(); TokenStream stream = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    }
    return terms;
  }
}
