package io.atrium.media.name;

import io.atrium.text.TitleText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names made only of bracket blocks, as Chinese fansub groups write them ("[Group][进击的巨人][Shingeki no
 * Kyojin][01][1080P]"): the first block is the group, blocks of tags and numbers are skipped (the first that
 * numbers an episode gives it), and of the remaining ones a Latin title is preferred.
 */
record BracketTitle(String title, Integer episode) {
  private static final Pattern BLOCK = Pattern.compile("[\\[【]([^\\]】]*)[\\]】]");
  private static final Pattern BLOCK_NUMBER = Pattern.compile("(\\d{1,4})(?:v\\d)?");
  private static final Pattern CRC = Pattern.compile("(?i)[0-9a-f]{8}");

  static BracketTitle read(String name) {
    Matcher m = BLOCK.matcher(name);
    List<String> candidates = new ArrayList<>();
    Integer episode = null;
    while (m.find()) {
      String block = m.group(1).trim();
      if (skipped(block)) {
        episode = episode != null ? episode : episode(block);
        continue;
      }
      candidates.add(block);
    }
    if (candidates.size() > 1) {
      candidates.remove(0);
    }
    String latin = candidates.stream().filter(TitleText::hasLatin).findFirst().orElse(null);
    String chosen = latin != null ? latin : candidates.isEmpty() ? null : candidates.get(0);
    return new BracketTitle(chosen == null ? null : TitleText.cleanTitle(chosen), episode);
  }

  private static boolean skipped(String block) {
    return !TitleText.hasAlnum(block) || block.matches("\\d{1,4}(?:v\\d)?") || ReleaseTags.allTags(block)
        || TitleText.cjkTag(block) || CRC.matcher(block).matches() || EpisodeMarkers.CJK_EPISODE.matcher(block).find()
        || EpisodeMarkers.EPISODE_WORD.matcher(block).matches();
  }

  private static Integer episode(String block) {
    Matcher number = BLOCK_NUMBER.matcher(block);
    Matcher chinese = EpisodeMarkers.CJK_EPISODE.matcher(block);
    Matcher word = EpisodeMarkers.EPISODE_WORD.matcher(block);
    if (number.matches()) {
      return Integer.parseInt(number.group(1));
    }
    if (chinese.find()) {
      return Numbers.chinese(chinese.group(1));
    }
    if (word.matches()) {
      return Integer.parseInt(word.group(1));
    }
    return null;
  }
}
