package io.atrium.fakes;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a model request shows of the conversation: how many user messages carry text the user typed, and the last
 * such text. Claude Code sends its context (date, CLAUDE.md, skills) as {@code <system-reminder>} blocks inside user
 * messages, and tool results as user messages too; neither is a user turn.
 */
final class UserTurns {
  private static final Pattern REMINDER = Pattern.compile("(?s)<system-reminder>.*?</system-reminder>");

  /** The context a request carried. */
  record Seen(int userTurns, String lastUserText) {
  }

  private UserTurns() {
  }

  /** {@code texts}: the text of each user message in order, reminders included. */
  static Seen of(List<String> texts) {
    int turns = 0;
    String last = "";
    for (String text : texts) {
      String typed = REMINDER.matcher(text).replaceAll("").strip();
      if (!typed.isEmpty()) {
        turns++;
        last = typed;
      }
    }
    return new Seen(turns, last);
  }
}
