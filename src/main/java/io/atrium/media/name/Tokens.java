package io.atrium.media.name;

import java.util.ArrayList;
import java.util.List;

/**
 * The zone's runs of letters and digits, each marked as a release tag or not. A strong tag ("1080p", "x264", and
 * pairs written across a separator: "WEB-DL", "H.264") always is one; a weak tag ("french", "extended") only when a
 * chain of weak tags leads from it to a strong tag, to a bracket, or (after a language word) to a year.
 */
final class Tokens {
  private static final String OPENING_BRACKETS = "([{【（";

  record Token(int start, int end, String text, boolean strong, boolean tag) {
  }

  private final List<Token> list;
  private final int zoneLength;

  private Tokens(List<Token> list, int zoneLength) {
    this.list = list;
    this.zoneLength = zoneLength;
  }

  static Tokens read(String zone) {
    List<Token> words = split(zone);
    boolean[] strong = strongTags(zone, words);
    List<Token> tokens = new ArrayList<>(words.size());
    for (int t = 0; t < words.size(); t++) {
      Token word = words.get(t);
      boolean tag = strong[t] || weakChainEnds(zone, words, strong, t);
      tokens.add(new Token(word.start(), word.end(), word.text(), strong[t], tag));
    }
    return new Tokens(List.copyOf(tokens), zone.length());
  }

  List<Token> list() {
    return list;
  }

  int strongCount() {
    return (int) list.stream().filter(Token::strong).count();
  }

  /** Where the first token at or after a position starts; the zone's end when there is none. */
  int firstStart(int from) {
    for (Token token : list) {
      if (token.start() >= from) {
        return token.start();
      }
    }
    return zoneLength;
  }

  boolean tagAt(int position) {
    for (Token token : list) {
      if (token.start() == position) {
        return token.tag();
      }
    }
    return false;
  }

  /** The start of the first tag after a position, or {@code Integer.MAX_VALUE}. */
  int firstTagAfter(int position) {
    return list.stream().filter(token -> token.tag() && token.start() > position).mapToInt(Token::start).min()
        .orElse(Integer.MAX_VALUE);
  }

  /** Whether the tokens between two positions are all weak tags, and there is at least one. */
  boolean onlyWeakTags(int begin, int end) {
    boolean any = false;
    for (Token token : list) {
      if (token.start() >= begin && token.end() <= end) {
        if (!ReleaseTags.weak(token.text())) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** Where the title can start: past strong tags that open the name ("h265 - HEVC Riddick"), not into a marker. */
  int titleStart(Markers markers) {
    int position = 0;
    for (Token token : list) {
      if (token.start() < position) {
        continue;
      }
      if (!token.strong() || markers.consumingAt(token.start())) {
        return token.start();
      }
      position = token.end();
    }
    return position;
  }

  private static List<Token> split(String zone) {
    List<Token> words = new ArrayList<>();
    int i = 0;
    while (i < zone.length()) {
      int cp = zone.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        int start = i;
        while (i < zone.length() && Character.isLetterOrDigit(zone.codePointAt(i))) {
          i += Character.charCount(zone.codePointAt(i));
        }
        words.add(new Token(start, i, zone.substring(start, i), false, false));
      } else {
        i += Character.charCount(cp);
      }
    }
    return words;
  }

  private static boolean[] strongTags(String zone, List<Token> words) {
    boolean[] strong = new boolean[words.size()];
    for (int t = 0; t < words.size(); t++) {
      String text = words.get(t).text();
      if (ReleaseTags.strong(text)) {
        strong[t] = true;
      } else if (t + 1 < words.size() && adjacent(zone, words, t)
          && ReleaseTags.strongPair(text, words.get(t + 1).text())) {
        strong[t] = true;
        strong[t + 1] = true;
      }
    }
    return strong;
  }

  /** Two tokens separated by one separator character, as in "WEB-DL" or "H.264". */
  private static boolean adjacent(String zone, List<Token> words, int t) {
    int gap = words.get(t + 1).start() - words.get(t).end();
    return gap == 1 && " ._-".indexOf(zone.charAt(words.get(t).end())) >= 0;
  }

  private static boolean weakChainEnds(String zone, List<Token> words, boolean[] strong, int t) {
    if (!ReleaseTags.weak(words.get(t).text())) {
      return false;
    }
    boolean language = false;
    int length = 0;
    for (int u = t; u < words.size(); u++) {
      String text = words.get(u).text();
      if (strong[u]) {
        return true;
      }
      if (u > t && (Numbers.isYear(text) && language || opensBracketBefore(zone, words, u))) {
        return true;
      }
      if (!ReleaseTags.weak(text)) {
        return false;
      }
      language |= ReleaseTags.language(text);
      length++;
    }
    return length >= 2;
  }

  private static boolean opensBracketBefore(String zone, List<Token> words, int u) {
    for (int i = words.get(u - 1).end(); i < words.get(u).start(); i++) {
      if (OPENING_BRACKETS.indexOf(zone.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
