package io.atrium.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaConfigException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.CompositeParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ParserDecorator;
import org.apache.tika.parser.html.HtmlMapper;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.ocr.TesseractOCRParser;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.parser.txt.TXTParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Apache Tika behind limits. One AutoDetectParser is shared (it is thread-safe and costly to build). Embedded
 * documents are not descended into, which shuts out nesting bombs; Tika's own secure XML readers refuse external
 * entities and entity expansion; the text handler caps the extracted size. Blocking: call from a worker thread.
 */
public final class DocumentParser {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentParser.class);
  private final AutoDetectParser parser = new AutoDetectParser();
  /** Plain text and Markdown skip type detection and CSV sniffing (a third of the cost of a small text file). */
  private final TXTParser plainText = new TXTParser();
  private final long maxFileBytes;
  private final long maxChars;
  private final boolean ocr;
  private final String ocrLanguages;

  /** {@code tesseractPath}: the folder of the tesseract program, empty for the one on PATH. */
  public DocumentParser(long maxFileBytes, long maxChars, boolean ocr, String ocrLanguages, String tesseractPath) {
    this.maxFileBytes = maxFileBytes;
    this.maxChars = maxChars;
    this.ocr = ocr && useTesseractAt(parser, tesseractPath);
    this.ocrLanguages = ocrLanguages;
  }

  /**
   * Points the TesseractOCRParser inside {@code parser} (the one images and image-only PDF pages are read with) at
   * {@code folder}; empty leaves it on PATH, as Tika starts. False when Tika refuses the folder: OCR is then off
   * rather than failing each image, and {@link OcrCheck} says why at start.
   */
  static boolean useTesseractAt(Parser parser, String folder) {
    if (folder.isEmpty()) {
      return true;
    }
    TesseractOCRParser tesseract = tesseractIn(parser);
    if (tesseract == null) {
      return false;
    }
    tesseract.setTesseractPath(folder);
    try {
      tesseract.initialize(Map.of()); // looks for the program again, there
      return true;
    } catch (TikaConfigException e) {
      LOG.debug("tesseract at {} refused: {}", folder, e.getMessage());
      return false;
    }
  }

  private static TesseractOCRParser tesseractIn(Parser parser) {
    if (parser instanceof TesseractOCRParser tesseract) {
      return tesseract;
    }
    if (parser instanceof ParserDecorator decorator) {
      return tesseractIn(decorator.getWrappedParser());
    }
    if (parser instanceof CompositeParser composite) {
      for (Parser component : composite.getAllComponentParsers()) {
        TesseractOCRParser found = tesseractIn(component);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  public ParsedDocument parse(Path file) throws ParseFailure {
    try {
      return parseWithTika(file);
    } catch (ParseFailure failure) {
      if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".epub") || failure.getMessage().contains("limit")) {
        throw failure;
      }
      // Tika's EPUB parser gives up on some real books (e.g. zip entry names that are not valid UTF-8);
      // their chapters are still plain XHTML inside the zip.
      return EpubChapters.parse(file, maxChars, failure);
    }
  }

  private ParsedDocument parseWithTika(Path file) throws ParseFailure {
    long size = sizeOf(file);
    if (size > maxFileBytes) {
      throw new ParseFailure("file is " + size + " bytes, over the limit of " + maxFileBytes, true);
    }
    Metadata metadata = new Metadata();
    metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.getFileName().toString());
    StructureHandler handler = new StructureHandler(maxChars);
    try (TikaInputStream in = TikaInputStream.get(file, metadata)) {
      parserFor(file).parse(in, handler, metadata, context());
    } catch (StructureHandler.TextLimitReached | WriteLimitReachedException e) {
      throw new ParseFailure(e.getMessage(), true);
    } catch (EncryptedDocumentException e) {
      throw new ParseFailure("file is encrypted or password-protected", true);
    } catch (SAXException e) {
      if (e.getCause() instanceof InterruptedException) {
        throw new ParseFailure("parsing was interrupted (time limit)", true);
      }
      throw new ParseFailure("malformed document: " + describe(e), true);
    } catch (TikaException e) {
      throw new ParseFailure("cannot parse " + contentType(metadata) + ": " + describe(e), true);
    } catch (IOException e) {
      throw new ParseFailure("cannot read file: " + describe(e), false);
    } catch (RuntimeException | StackOverflowError e) {
      throw new ParseFailure("parser failed on a malformed document: " + describe(e), true);
    } catch (OutOfMemoryError e) {
      LOG.warn("parser ran out of memory on {}: {}", file, e.getMessage());
      throw new ParseFailure("document needs more memory than allowed to parse (decompression bomb?)", true);
    }
    String text = handler.text();
    if (text.isBlank()) {
      throw new ParseFailure(emptyReason(metadata), true);
    }
    return new ParsedDocument(text, handler.blocks(), contentType(metadata), handler.pages());
  }

  private Parser parserFor(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".txt") || name.endsWith(".md") || name.endsWith(".markdown") ? plainText : parser;
  }

  private long sizeOf(Path file) throws ParseFailure {
    try {
      if (!Files.isRegularFile(file)) {
        throw new ParseFailure("not a regular file: " + file, true);
      }
      return Files.size(file);
    } catch (NoSuchFileException e) {
      throw new ParseFailure("file not found: " + file, true);
    } catch (IOException e) {
      throw new ParseFailure("cannot read file: " + describe(e), false);
    }
  }

  private ParseContext context() {
    ParseContext context = new ParseContext();
    context.set(EmbeddedDocumentExtractor.class, SkipEmbedded.INSTANCE);
    context.set(Parser.class, parser); // PDF page OCR finds Tesseract through it
    context.set(HtmlMapper.class, RubyDroppingHtmlMapper.INSTANCE);
    PDFParserConfig pdf = new PDFParserConfig();
    pdf.setOcrStrategy(ocr ? PDFParserConfig.OCR_STRATEGY.AUTO : PDFParserConfig.OCR_STRATEGY.NO_OCR);
    pdf.setExtractInlineImages(false);
    pdf.setExtractAnnotationText(true);
    pdf.setMaxMainMemoryBytes(256L * 1024 * 1024); // PDFBox spills to temp files past this instead of growing the heap
    context.set(PDFParserConfig.class, pdf);
    TesseractOCRConfig tesseract = new TesseractOCRConfig();
    tesseract.setSkipOcr(!ocr);
    tesseract.setLanguage(ocrLanguages);
    context.set(TesseractOCRConfig.class, tesseract);
    return context;
  }

  private String emptyReason(Metadata metadata) {
    String type = contentType(metadata);
    if (type.startsWith("image/") || type.equals("application/pdf")) {
      return "no text found in " + type + (ocr ? " (OCR found none, or Tesseract is not installed)" : " (OCR is off)");
    }
    return "no text found in " + type;
  }

  private static String contentType(Metadata metadata) {
    String type = metadata.get(Metadata.CONTENT_TYPE);
    return type == null ? "unknown type" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  /**
   * What went wrong in the user's words: the innermost cause's message, never a Java class name (those go to the
   * log, for whoever debugs the parser).
   */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    LOG.debug("parse failure: {}", root.toString());
    String text;
    if (root instanceof NoSuchFileException) {
      text = "the file does not exist";
    } else if (root instanceof AccessDeniedException) {
      text = "permission denied";
    } else if (root instanceof StackOverflowError) {
      text = "the document nests too deeply";
    } else if (root.getMessage() == null || root.getMessage().isBlank()) {
      text = "the parser gave no details";
    } else {
      text = root.getMessage().strip();
    }
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  /** Leaves embedded documents (attachments, OLE objects, nested archives) unparsed. */
  private enum SkipEmbedded implements EmbeddedDocumentExtractor {
    INSTANCE;

    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
      return false;
    }

    @Override
    public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata,
        boolean outputHtml) {
    }
  }
}
