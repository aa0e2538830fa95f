package io.atrium.media.name;

import io.atrium.text.TitleText;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a segment that the other stages read: leading group brackets ("[SubsPlease]"), parentheses of tags or
 * numbers and a site prefix ("www.site.org -") removed. The whole name is kept for the bracket-block reading.
 *
 * @param anime a leading group bracket, a CRC or a fansub word: bare numbers are then absolute episodes
 */
record Zone(String name, String text, boolean anime) {
  private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern LEADING_BRACKET = Pattern.compile("^[\\s._~-]*(?:\\[[^\\]]*]|【[^】]*】)");
  private static final Pattern LEADING_PAREN = Pattern.compile("^[\\s._~-]*\\(([^)]*)\\)");
  private static final Pattern LAST_BLOCK = Pattern.compile("[\\s._-]*(?:\\[[^\\]]*]|【[^】]*】)[\\s._-]*");
  private static final Pattern LEADING_SITE = Pattern.compile("^www\\.[\\w-]+\\.[a-z]{2,4}[\\s._-]+", CI);
  private static final Pattern ANIME = Pattern.compile("[\\[(][0-9a-f]{8}[\\])]|(?<![\\p{L}\\p{N}])"
      + "(?:vostfr|vosta|fansub|raws?)(?![\\p{L}\\p{N}])", CI);

  static Zone of(String name) {
    String rest = name;
    boolean group = false;
    boolean stripped = false;
    while (true) {
      Matcher bracket = LEADING_BRACKET.matcher(rest);
      Matcher paren = LEADING_PAREN.matcher(rest);
      int end;
      if (bracket.find()) {
        end = bracket.end();
      } else if (paren.find() && (paren.group(1).matches("\\d+") || ReleaseTags.allTags(paren.group(1)))) {
        end = paren.end();
      } else {
        break;
      }
      if (!TitleText.hasAlnum(rest.substring(end))) {
        break;
      }
      group |= bracket.find(0);
      stripped = true;
      rest = rest.substring(end);
    }
    if (stripped && LAST_BLOCK.matcher(rest).matches()) {
      // the last of several blocks ("[Group][Title][01][1080P]"): read as blocks, see BracketTitle
      rest = "";
    }
    Matcher site = LEADING_SITE.matcher(rest);
    if (site.find()) {
      rest = rest.substring(site.end());
    }
    return new Zone(name, rest, group || ANIME.matcher(name).find());
  }

  int length() {
    return text.length();
  }

  /** Whether a bracket follows, past separators: "Show 13 [1080p]" numbers its episodes absolutely. */
  boolean bracketFollows(int end) {
    int i = end;
    while (i < text.length() && " ._".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i < text.length() && (text.charAt(i) == '[' || text.charAt(i) == '【');
  }
}
