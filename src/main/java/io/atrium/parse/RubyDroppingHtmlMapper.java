package io.atrium.parse;

import java.util.Locale;
import org.apache.tika.parser.html.DefaultHtmlMapper;

/**
 * Tika's default HTML mapping, but ruby annotations ({@code <rt>}, {@code <rp>}: the furigana of Japanese books)
 * are discarded: kept, they land inside the words they annotate (山路やまみち) and no search finds 山路を.
 */
final class RubyDroppingHtmlMapper extends DefaultHtmlMapper {
  static final RubyDroppingHtmlMapper INSTANCE = new RubyDroppingHtmlMapper();

  @Override
  public boolean isDiscardElement(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals("rt") || lower.equals("rp") || super.isDiscardElement(name);
  }
}
