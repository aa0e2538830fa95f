package io.atrium.media.name;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The vocabulary of release names. A strong tag (resolution, source, codec, audio, container, fix tags) never
 * belongs to a title; a weak tag (languages, edition and release words) is also an ordinary word, so it ends a
 * title only when it leads to a strong tag (see {@link Tokens}).
 */
final class ReleaseTags {
  private static final Pattern STRONG = Pattern.compile(String.join("|",
      "\\d{3,4}[pi]\\d{0,3}", "[248]k", "[uqf]hd", "hdr(?:10)?(?:plus)?", "sdr", "hlg", "bt(?:2020|709)", "dovi",
      "(?:hd)?dvd(?:rip|r|scr|[59]|mux)?", "dvdivx", "bd(?:rip|mux|ripmux|remux|r|25|50)?", "br(?:rip|mux|ripmux)",
      "blu-?ray(?:mux|rip)?", "hddvd", "(?:a|hd)?hdtv(?:rip|mux)?", "[ps]dtv", "dsr(?:ip)?", "dth(?:rip)?", "tvrip",
      "vhs(?:rip)?", "hdrip", "hdlight", "mhd", "web(?:rip|dl|dlrip|cap|hd|uhd|mux)", "dmrip", "ldtv", "r5",
      "hd(?:cam|tc|ts)", "dvb(?:rip)?", "satrip", "vodrip", "telesync", "telecine", "screener", "scr", "remux",
      "netflix(?:uhd|hd)?(?:rip)?", "(?:hd)?itunes(?:hd)?", "amzn", "hulu",
      "x26[2345]", "h26[2345]", "hevc\\d*", "avc(?:hd)?", "xvid", "divx\\d*", "vc1", "mpe?g[24]", "vp[6789]", "wmv\\d?",
      "(?:8|10|12)bits?", "hi10p?", "yuv\\d+p\\d*",
      "aac(?:\\d\\d?)?(?:lc)?", "heaac", "e?ac3d?", "dts(?:hd|es|x|ma)?", "truehd", "atmos\\d*", "flac\\d*", "mp3",
      "lame\\d*", "opus", "l?pcm", "mp2", "ddp?\\d*(?:ex)?", "\\dch", "hdma", "hra", "vorbis",
      "mkv", "mp4", "avi", "ogm", "3d", "hfr", "\\d{2,3}fps", "imax",
      "readnfo", "nfofix", "dirfix", "samplefix", "prooffix", "subfix", "syncfix",
      "stv", "vostfr", "vosta?", "truefrench", "vf[fqi2]", "subforced", "ova", "oad", "ona", "oav", "cd\\d", "\\dcd"));
  private static final Set<String> STRONG_UPPER = Set.of("CAM", "TS", "TC", "HC", "WS", "DV");
  private static final Set<String> LANGUAGES = Set.of("english", "french", "german", "spanish", "italian",
      "japanese", "hindi", "telugu", "tamil", "korean", "russian", "chinese", "mandarin", "cantonese", "castellano",
      "español", "espanol", "swissgerman", "flemish", "dutch", "portuguese", "polish", "swedish", "danish",
      "norwegian", "finnish", "hungarian", "czech", "turkish", "arabic", "hebrew", "greek", "thai", "latino", "ita",
      "eng", "fr", "rus", "ukr", "esp", "spa", "ger", "fre", "jpn", "chs", "cht", "multi", "dual", "dubbed", "dub",
      "subbed", "subs", "nlsubs", "hebsubs", "swesub", "nordic", "legendado", "legendas", "legenda", "dublado",
      "subtitulado", "subtitles", "fastsub");
  private static final Set<String> RELEASE_WORDS = Set.of("proper", "repack", "real", "rerip", "limited",
      "internal", "complete", "final", "extended", "unrated", "uncut", "remastered", "restored", "theatrical",
      "director", "directors", "dircut", "cut", "edition", "collector", "collectors", "criterion", "collection",
      "special", "alternate", "alternative", "ultimate", "festival", "docu", "doku", "documentary", "colorized",
      "convert", "hybrid", "upscaled", "upscale", "open", "matte", "oar", "pal", "ntsc", "secam", "sample", "proof",
      "fix", "mux", "rip", "custom", "integral", "version", "preair", "retail", "widescreen", "fullscreen", "hq", "lq");
  /** Abbreviations that are tags only in capitals ("DC", "HD"); in lower case they are often words. */
  private static final Set<String> WEAK_UPPER = Set.of("OM", "SE", "DC", "HD", "SD", "WEB", "DL", "MD", "CC", "NF",
      "VO", "VF", "DE", "PT", "PL", "NL", "XXX", "FS");
  private static final Pattern VERSION = Pattern.compile("v\\d{1,2}");

  private ReleaseTags() {
  }

  static boolean strong(String token) {
    return STRONG_UPPER.contains(token) || STRONG.matcher(token.toLowerCase(Locale.ROOT)).matches();
  }

  /** Two tokens written as one tag across a separator: "WEB-DL", "H.264", "Blu-ray", "DTS-HD", "2 CD". */
  static boolean strongPair(String first, String second) {
    return STRONG.matcher((first + second).toLowerCase(Locale.ROOT)).matches();
  }

  static boolean weak(String token) {
    String lower = token.toLowerCase(Locale.ROOT);
    return language(token) || RELEASE_WORDS.contains(lower) || VERSION.matcher(lower).matches();
  }

  /** Language words and capitalised abbreviations: a year right after them ends the title too. */
  static boolean language(String token) {
    return LANGUAGES.contains(token.toLowerCase(Locale.ROOT)) || WEAK_UPPER.contains(token);
  }

  /** Whether every word of a text (a bracket's content) is a tag, strong or weak. */
  static boolean allTags(String text) {
    String[] words = text.split("[^\\p{L}\\p{N}]+");
    int tags = 0;
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      if (!strong(word) && !weak(word)) {
        return false;
      }
      tags++;
    }
    return tags > 0;
  }
}
