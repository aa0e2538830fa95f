package io.atrium.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HighlighterTest {

  @Test
  void marksWholeWordsStartingWithATerm() {
    String marked = Highlighter.highlight("Learning to learn: a study.", SearchText.queryTerms("learn"));
    assertThat(marked).isEqualTo("<mark>Learning</mark> to <mark>learn</mark>: a study.");
  }

  @Test
  void marksChineseWordsInsideText() {
    assertThat(Highlighter.highlight("我们都是黑体字", SearchText.queryTerms("黑体"))).isEqualTo("我们都是<mark>黑体</mark>字");
  }

  @Test
  void marksTheWordsOfAChineseQuestionInsideText() {
    assertThat(Highlighter.highlight("微软和谷歌合作开发了这个系统", SearchText.queryTerms("是由哪两个公司合作开发的")))
        .isEqualTo("微软和谷歌<mark>合作开发</mark>了这个系统");
  }

  @Test
  void lowerCasingThatChangesLengthDoesNotShiftMarks() {
    assertThat(Highlighter.highlight("İstanbul has ships", SearchText.queryTerms("ships"))).isEqualTo("İstanbul has <mark>ships</mark>");
  }

  @Test
  void showsAWindowAroundTheFirstMatchOfALongText() {
    String text = "filler ".repeat(200) + "needle " + "filler ".repeat(200);
    String marked = Highlighter.highlight(text, SearchText.queryTerms("needle"));
    assertThat(marked).startsWith("…").endsWith("…").contains("<mark>needle</mark>").hasSizeLessThan(300);
  }
}
