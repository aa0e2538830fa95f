package io.atrium.parse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.html.HtmlMapper;
import org.apache.tika.parser.html.JSoupParser;
import org.slf4j.LoggerFactory;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Fallback for EPUBs Tika's EpubParser rejects: reads the zip leniently (entry names as ISO-8859-1, so undecodable
 * names don't abort) and parses every XHTML/HTML chapter in archive order into one document. The uncompressed size
 * read is capped by the same text limit, so a zip bomb still stops.
 */
final class EpubChapters {
  private static final int MAX_ENTRIES = 10_000;

  private EpubChapters() {
  }

  static ParsedDocument parse(Path file, long maxChars, ParseFailure original) throws ParseFailure {
    StructureHandler handler = new StructureHandler(maxChars);
    JSoupParser html = new JSoupParser();
    int chapters = 0;
    try (ZipFile zip = new ZipFile(file.toFile(), StandardCharsets.ISO_8859_1)) {
      List<? extends ZipEntry> entries = Collections.list(zip.entries());
      if (entries.size() > MAX_ENTRIES) {
        throw new ParseFailure("EPUB has more than " + MAX_ENTRIES + " entries", true);
      }
      for (ZipEntry entry : entries) {
        // some packagers quote entry names; compare without the quotes
        String name = entry.getName().toLowerCase(Locale.ROOT).replace("\"", "").strip();
        if (entry.isDirectory() || !(name.endsWith(".xhtml") || name.endsWith(".html") || name.endsWith(".htm"))) {
          continue;
        }
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
          Metadata metadata = new Metadata();
          metadata.set(Metadata.CONTENT_TYPE, "application/xhtml+xml");
          ParseContext context = new ParseContext();
          context.set(HtmlMapper.class, RubyDroppingHtmlMapper.INSTANCE);
          html.parse(in, new ChapterHandler(handler), metadata, context);
          chapters++;
        }
      }
    } catch (StructureHandler.TextLimitReached e) {
      throw new ParseFailure(e.getMessage(), true);
    } catch (IOException | SAXException | TikaException | RuntimeException e) {
      LoggerFactory.getLogger(EpubChapters.class).info("EPUB chapter fallback failed on {}: {}", file, e.toString());
      throw original;
    }
    if (chapters == 0 || handler.text().isBlank()) {
      throw original;
    }
    return new ParsedDocument(handler.text(), handler.blocks(), "application/epub+zip", 0);
  }

  /** Passes a chapter's elements and its end (which ends its last block) to the shared handler, not its start. */
  private static final class ChapterHandler extends DefaultHandler {
    private final StructureHandler target;

    ChapterHandler(StructureHandler target) {
      this.target = target;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
      target.startElement(uri, localName, qName, atts);
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
      target.endElement(uri, localName, qName);
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
      target.characters(ch, start, length);
    }

    @Override
    public void endDocument() {
      target.endDocument();
    }
  }
}
