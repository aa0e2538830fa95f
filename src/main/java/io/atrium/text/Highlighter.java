package io.atrium.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A short window of a chunk around the first query term it contains, with every occurrence of a term wrapped in
 * {@code <mark>}. Latin terms match at word starts (so "learn" marks "learning", as the stemmer matched it).
 */
public final class Highlighter {
  private static final int WINDOW = 240;

  private Highlighter() {
  }

  public static String highlight(String text, List<SearchText.Token> queryTerms) {
    List<SearchText.Token> terms = new ArrayList<>();
    for (SearchText.Token token : queryTerms) {
      if (token.cjk()) {
        SearchText.matchTerms(List.of(token)).forEach(gram -> terms.add(new SearchText.Token(gram, true)));
      } else {
        terms.add(token);
      }
    }
    String lower = sameLengthLowerCase(text);
    int first = -1;
    for (SearchText.Token term : terms) {
      int at = find(lower, term, 0);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    int start = first < 0 ? 0 : Math.max(0, first - WINDOW / 4);
    int end = Math.min(text.length(), start + WINDOW);
    start = Math.max(0, Math.min(start, end - WINDOW));
    StringBuilder out = new StringBuilder();
    if (start > 0) {
      out.append('…');
    }
    int i = start;
    while (i < end) {
      int matchEnd = matchAt(lower, i, terms);
      if (matchEnd > i && (i == 0 || !isWordChar(lower.charAt(i - 1)) || SearchText.isCjk(lower.codePointAt(i)))) {
        out.append("<mark>").append(text, i, Math.min(matchEnd, text.length())).append("</mark>");
        i = matchEnd;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    if (end < text.length()) {
      out.append('…');
    }
    return out.toString().replace("</mark><mark>", "");
  }

  /** Lower-cases char by char, so every index still points at the same character of the original text. */
  private static String sameLengthLowerCase(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = Character.toLowerCase(chars[i]);
    }
    return new String(chars);
  }

  private static int find(String lower, SearchText.Token term, int from) {
    int at = lower.indexOf(term.text(), from);
    while (at > 0 && !term.cjk() && isWordChar(lower.charAt(at - 1))) {
      at = lower.indexOf(term.text(), at + 1);
    }
    return at;
  }

  /** End of the longest term matching at {@code i} (through the rest of its word for Latin terms), or i. */
  private static int matchAt(String lower, int i, List<SearchText.Token> terms) {
    int best = i;
    for (SearchText.Token term : terms) {
      if (lower.startsWith(term.text(), i)) {
        int end = i + term.text().length();
        if (!term.cjk()) {
          while (end < lower.length() && isWordChar(lower.charAt(end))) {
            end++;
          }
        }
        best = Math.max(best, end);
      }
    }
    return best;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) && !SearchText.isCjk(c);
  }
}
