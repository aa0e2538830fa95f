package io.atrium.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Character-level helpers of the media filename parser: sanitising a path, turning a span of a file name into a
 * title, and folding two spellings of a title so they compare.
 */
public final class TitleText {
  private static final Pattern ACRONYM = Pattern.compile("(?<![\\p{L}\\p{N}])(?:\\p{L}\\.){2,}(?:\\p{L}(?!\\p{L}))?");
  private static final Pattern DECIMAL = Pattern.compile("(?<=\\d)\\.(?=\\d)");
  private static final Pattern ARTICLE_LAST = Pattern.compile("^(.+?),\\s*(the|a|an|le|la|les|der|die|das)$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern COUNTRY_LAST = Pattern.compile("\\s+(?:US|UK|AU|NZ|CA)$");
  private static final String TRIM = " -–—,:;~&+/\\|=#@_.([{【（";
  private static final String TRIM_END = " -–—,:;~&+/\\|=#@_([{【（";
  private static final String[] CJK_TAGS = {"简体", "繁体", "繁體", "简中", "繁中", "简日", "繁日", "中字", "双语", "雙語",
      "内嵌", "內嵌", "外挂", "字幕", "中文", "国语", "粤语", "日语", "新番", "招募"};
  private static final int MAX_TITLE = 200;

  private TitleText() {
  }

  /** Control and format characters become spaces; the text is NFC so that accents compare as written. */
  public static String sanitize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      int type = Character.getType(cp);
      boolean invisible = type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
          || type == Character.SURROGATE || type == Character.PRIVATE_USE;
      out.appendCodePoint(invisible ? ' ' : cp);
    });
    return Normalizer.normalize(out, Normalizer.Form.NFC);
  }

  /** Whether any letter or digit is left (a segment of only separators says nothing). */
  public static boolean hasAlnum(String text) {
    return text.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  /** At least two Latin letters: enough to prefer this text as a title over a CJK one. */
  public static boolean hasLatin(String text) {
    return text.codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN).count() >= 2;
  }

  private static boolean cjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
  }

  /** A fansub bracket block about subtitles or audio ("简日双语"), never a title. */
  public static boolean cjkTag(String block) {
    for (String tag : CJK_TAGS) {
      if (block.contains(tag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A span of a name as a title: dots and underscores are spaces except in acronyms ("S.H.I.E.L.D.") and decimals,
   * separators collapsed, ends trimmed, "Simpsons, The" turned round, a trailing country code dropped, and of a
   * CJK title beside a Latin one the Latin one kept. Null when nothing readable is left.
   */
  public static String cleanTitle(String raw) {
    String text = raw.replace("*", "");
    text = protect(ACRONYM, text);
    text = DECIMAL.matcher(text).replaceAll("\u0000");
    text = text.replace('.', ' ').replace('_', ' ').replace('\u0000', '.');
    text = text.replaceAll("\\s+", " ");
    text = trim(text);
    Matcher article = ARTICLE_LAST.matcher(text);
    if (article.matches()) {
      text = article.group(2) + " " + article.group(1);
    }
    text = COUNTRY_LAST.matcher(text).replaceAll("");
    text = preferLatin(text);
    if (!hasAlnum(text)) {
      return null;
    }
    return text.length() > MAX_TITLE ? trim(text.substring(0, MAX_TITLE)) : text;
  }

  private static String protect(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group().replace('.', '\u0000')));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String trim(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && TRIM.indexOf(text.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && TRIM_END.indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(start, end);
  }

  /** "进击的巨人 Attack on Titan" → "Attack on Titan": the longest run without CJK characters that has Latin letters. */
  private static String preferLatin(String text) {
    if (text.codePoints().noneMatch(TitleText::cjk) || !hasLatin(text)) {
      return text;
    }
    String best = null;
    StringBuilder run = new StringBuilder();
    int[] cps = text.codePoints().toArray();
    for (int i = 0; i <= cps.length; i++) {
      if (i == cps.length || cjk(cps[i])) {
        String candidate = trim(run.toString().trim());
        if (hasLatin(candidate) && (best == null || candidate.length() > best.length())) {
          best = candidate;
        }
        run.setLength(0);
      } else {
        run.appendCodePoint(cps[i]);
      }
    }
    return best == null ? text : best;
  }

  /** Letters and digits only, lower case, accents removed: for deciding that two spellings name the same thing. */
  public static String fold(String text) {
    if (text == null) {
      return "";
    }
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    StringBuilder out = new StringBuilder();
    decomposed.codePoints().filter(Character::isLetterOrDigit).forEach(cp -> out.appendCodePoint(Character.toLowerCase(cp)));
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
