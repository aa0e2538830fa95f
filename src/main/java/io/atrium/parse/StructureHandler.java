package io.atrium.parse;

import io.atrium.chunk.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Collects Tika's XHTML into plain text plus blocks: every block-level element ends a block, h1–h6 mark headings,
 * and {@code <div class="page">} (Tika's PDF page marker) advances the page number. It stops the parse when the text
 * passes its limit (expansion bombs) or the parsing thread is interrupted (time limit).
 */
final class StructureHandler extends DefaultHandler {
  private static final Set<String> BLOCK_ELEMENTS = Set.of(
      "p", "div", "li", "tr", "td", "th", "pre", "blockquote", "br", "h1", "h2", "h3", "h4", "h5", "h6",
      "title", "dt", "dd", "table", "ul", "ol", "section", "article");

  private final StringBuilder text = new StringBuilder();
  private final List<Block> blocks = new ArrayList<>();
  private final long maxChars;
  private int blockStart;
  private int page;
  private boolean inHeading;
  private boolean inTitle;
  private boolean pendingSpace;
  private int pendingNewlines;

  StructureHandler(long maxChars) {
    this.maxChars = maxChars;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
    String name = localName.isEmpty() ? qName : localName;
    if ("div".equals(name) && "page".equals(atts.getValue("class"))) {
      closeBlock();
      page++;
      return;
    }
    if (BLOCK_ELEMENTS.contains(name)) {
      closeBlock();
      inHeading = isHeading(name);
      inTitle = "title".equals(name);
    }
  }

  @Override
  public void endElement(String uri, String localName, String qName) throws SAXException {
    String name = localName.isEmpty() ? qName : localName;
    if (BLOCK_ELEMENTS.contains(name)) {
      closeBlock();
      inHeading = false;
      inTitle = false;
    }
  }

  @Override
  public void characters(char[] ch, int start, int length) throws SAXException {
    if (Thread.currentThread().isInterrupted()) {
      throw new SAXException(new InterruptedException("parse interrupted"));
    }
    if (inTitle) {
      return; // the metadata title is usually repeated in the body
    }
    if (text.length() + length > maxChars) {
      throw new TextLimitReached(maxChars);
    }
    for (int i = start; i < start + length; i++) {
      char c = ch[i];
      if (Character.isWhitespace(c) || c == '\u00a0') {
        pendingSpace = true;
        pendingNewlines += c == '\n' ? 1 : 0;
      } else {
        flushWhitespace();
        text.append(c);
      }
    }
  }

  /** Whitespace runs become one space, one newline, or a blank line (a paragraph break in plain text). */
  private void flushWhitespace() {
    if (pendingSpace && text.length() > blockStart) {
      text.append(pendingNewlines >= 2 ? "\n\n" : pendingNewlines == 1 ? "\n" : " ");
    }
    pendingSpace = false;
    pendingNewlines = 0;
  }

  /**
   * Text after the last block element still ends a block: a body of bare text, or text only inside elements Tika's
   * HTML mapper drops (its {@code div}s, however deeply nested), is otherwise in the text but in no block, and a
   * document of no blocks is chunked into nothing.
   */
  @Override
  public void endDocument() {
    closeBlock();
  }

  @Override
  public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
    characters(ch, start, length);
  }

  private void closeBlock() {
    pendingSpace = false;
    pendingNewlines = 0;
    int end = text.length();
    if (end > blockStart) {
      splitIntoParagraphs(blockStart, end);
      text.append("\n\n");
    }
    blockStart = text.length();
  }

  /** Plain text and Markdown arrive as one block: cut it at blank lines and make "# " lines headings. */
  private void splitIntoParagraphs(int start, int end) {
    int paragraphStart = start;
    int lineStart = start;
    while (lineStart < end) {
      int lineEnd = text.indexOf("\n", lineStart);
      if (lineEnd < 0 || lineEnd > end) {
        lineEnd = end;
      }
      if (isBlank(lineStart, lineEnd)) {
        addBlock(paragraphStart, lineStart, false);
        paragraphStart = lineEnd;
      } else if (isMarkdownHeading(lineStart, lineEnd)) {
        addBlock(paragraphStart, lineStart, false);
        addBlock(lineStart, lineEnd, true);
        paragraphStart = lineEnd;
      }
      lineStart = lineEnd + 1;
    }
    addBlock(paragraphStart, end, false);
  }

  private boolean isBlank(int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private boolean isMarkdownHeading(int from, int end) {
    int i = from;
    while (i < end && text.charAt(i) == '#' && i - from < 6) {
      i++;
    }
    return i > from && i < end && text.charAt(i) == ' ';
  }

  private void addBlock(int start, int end, boolean markdownHeading) {
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    if (start < end) {
      boolean heading = inHeading || markdownHeading;
      blocks.add(new Block(start, end, page > 0 ? page : null, heading));
    }
  }

  private static boolean isHeading(String name) {
    return name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6';
  }

  String text() {
    return text.toString();
  }

  List<Block> blocks() {
    return blocks;
  }

  int pages() {
    return page;
  }

  /** Thrown when the extracted text grows past the configured limit. */
  static final class TextLimitReached extends SAXException {
    TextLimitReached(long limit) {
      super("extracted text exceeds the limit of " + limit + " characters");
    }
  }
}
