package io.atrium.media.name;

import java.util.Locale;
import java.util.Map;

/** Numbers as names write them: years, season words ("two", "IV"), Chinese numerals and bare episode numbers. */
final class Numbers {
  static final String WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|un|deux|trois|quatre|cinq|sept|huit"
      + "|neuf|dix";
  private static final Map<String, Integer> WORD_VALUES = Map.ofEntries(Map.entry("one", 1), Map.entry("un", 1),
      Map.entry("two", 2), Map.entry("deux", 2), Map.entry("three", 3), Map.entry("trois", 3), Map.entry("four", 4),
      Map.entry("quatre", 4), Map.entry("five", 5), Map.entry("cinq", 5), Map.entry("six", 6), Map.entry("seven", 7),
      Map.entry("sept", 7), Map.entry("eight", 8), Map.entry("huit", 8), Map.entry("nine", 9), Map.entry("neuf", 9),
      Map.entry("ten", 10), Map.entry("dix", 10));
  private static final String CHINESE_DIGITS = "零一二三四五六七八九";

  private Numbers() {
  }

  /**
   * A bare episode number. It is absolute (anime) unless it reads as season and episode: "102" is S01E02 and
   * "0307" S03E07, except when absolute numbering is known (anime-style names, a bracket right after the number)
   * and for zero-padded three-digit numbers ("003").
   */
  record Episode(Integer season, int episode) {
    static Episode of(String digits, boolean absolute) {
      int value = Integer.parseInt(digits);
      if (digits.length() == 3 && digits.charAt(0) != '0' && !absolute) {
        return new Episode(value / 100, value % 100);
      }
      if (digits.length() == 4 && digits.charAt(0) == '0') {
        return new Episode(value / 100, value % 100);
      }
      return new Episode(null, value);
    }
  }

  static boolean isYear(String text) {
    return text.length() == 4 && (text.startsWith("19") || text.startsWith("20")) && text.chars().allMatch(Character::isDigit);
  }

  /** "2", "two", "deux" or "II". */
  static Integer season(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (Character.isDigit(lower.charAt(0))) {
      return Integer.parseInt(lower);
    }
    Integer word = WORD_VALUES.get(lower);
    return word != null ? word : roman(lower);
  }

  static int roman(String text) {
    int total = 0;
    int previous = 0;
    for (int i = text.length() - 1; i >= 0; i--) {
      int value = switch (text.charAt(i)) {
        case 'i' -> 1;
        case 'v' -> 5;
        case 'x' -> 10;
        default -> 0;
      };
      total += value < previous ? -value : value;
      previous = Math.max(previous, value);
    }
    return total;
  }

  /** "12" or "十二". */
  static int chinese(String text) {
    if (Character.isDigit(text.charAt(0))) {
      return Integer.parseInt(text);
    }
    int total = 0;
    int current = 0;
    for (char c : text.toCharArray()) {
      if (c == '十' || c == '百') {
        total += Math.max(current, 1) * (c == '十' ? 10 : 100);
        current = 0;
      } else {
        current = CHINESE_DIGITS.indexOf(c);
      }
    }
    return total + current;
  }
}
