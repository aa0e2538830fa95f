package io.atrium.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.chunk.Block;
import io.atrium.e2e.AtriumHarness;
import io.atrium.e2e.GeneratedDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentParserTest {
  private final DocumentParser parser = new DocumentParser(50L << 20, 5_000_000, false, "eng", "");

  @Test
  void failuresAreDescribedInWordsNotJavaClassNames() {
    assertThat(DocumentParser.describe(new NoSuchFileException("/srv/x.pdf"))).isEqualTo("the file does not exist");
    assertThat(DocumentParser.describe(new RuntimeException(new IOException("bad xref table")))).isEqualTo("bad xref table");
    assertThat(DocumentParser.describe(new StackOverflowError())).isEqualTo("the document nests too deeply");
    assertThat(DocumentParser.describe(new IllegalStateException())).isEqualTo("the parser gave no details");
  }

  @Test
  void pdfPagesAreNumbered() throws Exception {
    ParsedDocument document = parser.parse(AtriumHarness.doc("pdf/pdflatex-4-pages.pdf"));
    assertThat(document.pages()).isEqualTo(4);
    assertThat(document.blocks()).extracting(Block::page).contains(1, 4);
  }

  @Test
  void markdownHeadingsBecomeHeadingBlocks() throws Exception {
    ParsedDocument document = parser.parse(AtriumHarness.doc("md/testMARKDOWN.md"));
    assertThat(document.blocks()).anySatisfy(block -> {
      assertThat(block.heading()).isTrue();
      assertThat(document.text().substring(block.start(), block.end())).isEqualTo("# Title");
    });
  }

  @Test
  void anEpubTikaRejectsIsReadChapterByChapterWithoutFurigana() throws Exception {
    ParsedDocument document = parser.parse(AtriumHarness.doc("epub/kusamakura-japanese-vertical-writing.epub"));
    assertThat(document.text()).contains("山路を登りながら、こう考えた。");
  }

  @Test
  void textAfterTheLastBlockElementIsStillABlock(@TempDir Path dir) throws Exception {
    // Tika's HTML mapper drops div: text only in divs, or bare in the body, ends no block unless the document's end does
    Path bare = Files.writeString(dir.resolve("bare.html"), "<html><body>Bare body text.</body></html>");
    assertThat(blockTexts(parser.parse(bare))).containsExactly("Bare body text.");
    Path divs = Files.writeString(dir.resolve("divs.html"), "<html><body><p>First.</p><div>Only in a div.</div></body></html>");
    assertThat(blockTexts(parser.parse(divs))).containsExactly("First.", "Only in a div.");
  }

  @Test
  void theTextOfHtmlNested100000DeepIsInItsBlocks(@TempDir Path dir) throws Exception {
    ParsedDocument document = parser.parse(GeneratedDocs.nested100k(dir));
    assertThat(String.join(" ", blockTexts(document))).contains("level 0 of the nesting.", "level 99000 of the nesting.",
        "The deepest sentence survives.");
  }

  private static java.util.List<String> blockTexts(ParsedDocument document) {
    return document.blocks().stream().map(block -> document.text().substring(block.start(), block.end())).toList();
  }

  @Test
  void textPastTheLimitIsRefused() {
    DocumentParser small = new DocumentParser(50L << 20, 1000, false, "eng", "");
    assertThatThrownBy(() -> small.parse(AtriumHarness.doc("epub/moby-dick.epub")))
        .isInstanceOf(ParseFailure.class).hasMessageContaining("limit");
  }

  @Test
  void filesOverTheSizeLimitAreNotOpened(@TempDir Path dir) throws Exception {
    Path big = Files.write(dir.resolve("big.txt"), new byte[2048]);
    assertThatThrownBy(() -> new DocumentParser(1024, 1000, false, "eng", "").parse(big))
        .isInstanceOf(ParseFailure.class).hasMessageContaining("over the limit");
  }
}
