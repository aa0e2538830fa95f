package io.atrium.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private final Chunker chunker = new Chunker(40, 10);

  @Test
  void aHeadingStartsANewChunkAndStaysWithItsText() {
    Doc doc = new Doc().paragraph("Intro text about rivers. ".repeat(3)).heading("Mountains").paragraph("Mountains are tall.");
    List<Chunk> chunks = chunker.split(doc.text(), doc.blocks);
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(1).text()).startsWith("Mountains").contains("Mountains are tall.");
  }

  @Test
  void noChunkIsABareHeading() {
    Doc doc = new Doc().heading("Chapter 1").heading("Section 1.1").paragraph("Body text here.").heading("Chapter 2")
        .paragraph("Second body.");
    List<Chunk> chunks = chunker.split(doc.text(), doc.blocks);
    assertThat(chunks).extracting(Chunk::text).containsExactly("Chapter 1\n\nSection 1.1\n\nBody text here.", "Chapter 2\n\nSecond body.");
  }

  @Test
  void longTextIsCutAtSentencesWithOverlapAndEveryChunkFits() {
    String sentence = "The quick brown fox jumps over the lazy dog. ";
    Doc doc = new Doc().paragraph(sentence.repeat(30));
    List<Chunk> chunks = chunker.split(doc.text(), doc.blocks);
    assertThat(chunks.size()).isGreaterThan(5);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.tokens()).isLessThanOrEqualTo(40);
      assertThat(c.text()).startsWith("The quick").endsWith("dog.");
    });
    assertThat(chunks.get(1).start()).as("overlap").isLessThan(chunks.get(0).end());
  }

  @Test
  void chineseWithoutSpacesIsCutAtSentenceMarks() {
    String text = "深度学习是机器学习的一个分支。".repeat(12);
    Doc doc = new Doc().paragraph(text);
    List<Chunk> chunks = chunker.split(doc.text(), doc.blocks);
    assertThat(chunks.size()).isGreaterThan(2);
    assertThat(chunks).allSatisfy(c -> assertThat(c.text()).endsWith("。"));
  }

  @Test
  void aSentenceLongerThanAChunkIsCutBySize() {
    Doc doc = new Doc().paragraph("词".repeat(200));
    List<Chunk> chunks = chunker.split(doc.text(), doc.blocks);
    assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(40));
    assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).hasSize(200);
  }

  @Test
  void offsetsAndPagesPointBackIntoTheDocument() {
    Doc doc = new Doc().page(3).paragraph("First page text that goes on for quite a few more words.")
        .page(4).paragraph("Fourth page text that also goes on for quite a few more words.");
    List<Chunk> chunks = new Chunker(16, 0).split(doc.text(), doc.blocks);
    assertThat(chunks).hasSize(2);
    assertThat(chunks).allSatisfy(c -> assertThat(doc.text().substring(c.start(), c.end())).isEqualTo(c.text()));
    assertThat(chunks.getFirst().page()).isEqualTo(3);
    assertThat(chunks.getLast().page()).isEqualTo(4);
  }

  /** Builds text and blocks the way the parser does. */
  private static final class Doc {
    final StringBuilder text = new StringBuilder();
    final List<Block> blocks = new ArrayList<>();
    Integer page;

    Doc page(int number) {
      page = number;
      return this;
    }

    Doc heading(String line) {
      return add(line, true);
    }

    Doc paragraph(String body) {
      return add(body.strip(), false);
    }

    private Doc add(String body, boolean heading) {
      int start = text.length();
      text.append(body);
      blocks.add(new Block(start, text.length(), page, heading));
      text.append("\n\n");
      return this;
    }

    String text() {
      return text.toString();
    }
  }
}
