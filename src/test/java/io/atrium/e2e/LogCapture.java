package io.atrium.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every WARN or worse log line of the test JVM, so tests can assert what was (not) logged, the text of every
 * line at any level (message and exception) for searching, e.g. for a secret that must never be logged, and Vert.x's
 * blocked-thread warnings with where the thread was stuck, for {@link NoBlockedThreads}.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  /** Frames of a blocked thread's stack kept with its warning: enough to see what blocked it. */
  private static final int BLOCKED_FRAMES = 12;
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
  private static final java.util.Queue<String> EVERYTHING = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private static final java.util.Queue<String> BLOCKED = new java.util.concurrent.ConcurrentLinkedQueue<>();

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getLoggerName()).append(": ").append(event.getFormattedMessage());
    for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
      text.append(" | ").append(thrown.getClassName()).append(": ").append(thrown.getMessage());
    }
    EVERYTHING.add(text.toString());
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      String line = event.getLoggerName() + ": " + event.getFormattedMessage();
      WARNINGS.add(line);
      if (line.contains("BlockedThreadChecker") || line.contains("has been blocked for")) {
        BLOCKED.add(line + stackOf(event));
      }
    }
  }

  /**
   * Vert.x's blocked-thread warnings (an event loop, or a worker past its time limit) logged since the last call,
   * each with the top of the blocked thread's stack when Vert.x logged it (a block past 5 s); taking them forgets them.
   */
  public static List<String> takeBlockedThreadWarnings() {
    List<String> taken = new java.util.ArrayList<>();
    for (String line = BLOCKED.poll(); line != null; line = BLOCKED.poll()) {
      taken.add(line);
    }
    return taken;
  }

  private static String stackOf(ILoggingEvent event) {
    StringBuilder stack = new StringBuilder();
    if (event.getThrowableProxy() != null) {
      var frames = event.getThrowableProxy().getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(BLOCKED_FRAMES, frames.length); i++) {
        stack.append("\n      ").append(frames[i].getSTEAsString());
      }
    }
    return stack.toString();
  }

  /** Every captured line (any level) that contains {@code text}. */
  public static List<String> linesContaining(String text) {
    return EVERYTHING.stream().filter(line -> line.contains(text)).toList();
  }

  public static List<String> warnings() {
    return List.copyOf(WARNINGS);
  }
}
