package io.atrium.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How text is spelled for the full-text index and how a question becomes an FTS5 query. CJK has no spaces, so a run
 * of CJK characters is indexed as its overlapping bigrams (深度学习 → 深度 度学 学习); a CJK word in a query becomes
 * the phrase of its bigrams, which matches exactly where the word occurs, and 2-character words (公司) match too.
 */
public final class SearchText {
  private static final Set<String> STOP_WORDS = Set.of(
      "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "does", "for", "from", "has", "have", "how", "i",
      "if", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "there", "these", "this", "to",
      "was", "were", "what", "when", "where", "which", "who", "why", "will", "with", "can", "than", "then", "they",
      "we", "you", "your", "our", "not", "no", "all", "any", "been", "being", "had", "he", "she", "his", "her", "them",
      "such", "so", "would", "could", "should", "about", "more", "most", "other", "some", "only", "over", "also");

  private SearchText() {
  }

  public static boolean isCjk(int codePoint) {
    Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
  }

  /** "cjk" when the text holds at least as many CJK words (about two characters each) as Latin words, else "latin". */
  public static String script(String text) {
    int cjkChars = 0;
    int latinWords = 0;
    for (Token token : tokens(text)) {
      if (token.cjk()) {
        cjkChars += token.text().codePointCount(0, token.text().length());
      } else if (token.text().codePoints().anyMatch(Character::isLetter)) {
        latinWords++;
      }
    }
    return cjkChars > 0 && cjkChars >= 2 * latinWords ? "cjk" : "latin";
  }

  /** The text as stored in the FTS column: Latin words unchanged, CJK runs as space-separated bigrams. */
  public static String forIndex(String text) {
    StringBuilder out = new StringBuilder(text.length() * 2);
    for (Token token : tokens(text)) {
      if (token.cjk()) {
        for (String gram : bigrams(token.text())) {
          out.append(gram).append(' ');
        }
      } else {
        out.append(token.text()).append(' ');
      }
    }
    return out.toString().trim();
  }

  /** Query terms after normalisation: Latin words (stop words dropped when others remain) and CJK runs. */
  public static List<Token> queryTerms(String query) {
    List<Token> all = new ArrayList<>(new LinkedHashSet<>(tokens(query)));
    List<Token> content = all.stream().filter(t -> t.cjk() || !STOP_WORDS.contains(t.text())).toList();
    return content.isEmpty() ? all : content;
  }

  /**
   * An FTS5 MATCH expression ORing the terms. A CJK run contributes each of its bigrams: a question is a run of
   * several words with no spaces, so requiring the whole run as one phrase would almost never match; bm25 ranks
   * the passages sharing the most (and rarest) bigrams first.
   */
  public static String ftsQuery(List<Token> terms) {
    LinkedHashSet<String> parts = new LinkedHashSet<>();
    for (String term : matchTerms(terms)) {
      parts.add('"' + term.replace("\"", "") + '"');
    }
    return String.join(" OR ", parts);
  }

  /** The strings a document must contain to match: Latin words, and CJK runs as their bigrams. */
  public static List<String> matchTerms(List<Token> terms) {
    List<String> out = new ArrayList<>();
    for (Token term : terms) {
      if (term.cjk()) {
        out.addAll(bigrams(term.text()));
      } else {
        out.add(term.text());
      }
    }
    return out;
  }

  static List<String> bigrams(String run) {
    int[] points = run.codePoints().toArray();
    List<String> grams = new ArrayList<>();
    if (points.length == 1) {
      grams.add(run);
      return grams;
    }
    for (int i = 0; i + 1 < points.length; i++) {
      grams.add(new String(points, i, 2));
    }
    return grams;
  }

  /** Letters/digits runs (lower-cased) and CJK runs; everything else separates tokens. */
  public static List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean currentCjk = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      boolean cjk = isCjk(cp);
      boolean wordChar = cjk || Character.isLetterOrDigit(cp);
      if (!wordChar || (current.length() > 0 && cjk != currentCjk)) {
        flush(tokens, current, currentCjk);
      }
      if (wordChar) {
        current.appendCodePoint(cjk ? cp : Character.toLowerCase(cp));
        currentCjk = cjk;
      }
    }
    flush(tokens, current, currentCjk);
    return tokens;
  }

  private static void flush(List<Token> tokens, StringBuilder current, boolean cjk) {
    if (current.length() > 0) {
      tokens.add(new Token(current.toString().toLowerCase(Locale.ROOT), cjk));
      current.setLength(0);
    }
  }

  /** A word of Latin/other letters, or a run of CJK characters. */
  public record Token(String text, boolean cjk) {
  }
}
