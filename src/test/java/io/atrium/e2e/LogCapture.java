package io.atrium.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every WARN or worse log line of the test JVM, so tests can assert what was (not) logged, and the text of
 * every line at any level (message and exception) for searching, e.g. for a secret that must never be logged.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
  private static final java.util.Queue<String> EVERYTHING = new java.util.concurrent.ConcurrentLinkedQueue<>();

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getLoggerName()).append(": ").append(event.getFormattedMessage());
    for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
      text.append(" | ").append(thrown.getClassName()).append(": ").append(thrown.getMessage());
    }
    EVERYTHING.add(text.toString());
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      WARNINGS.add(event.getLoggerName() + ": " + event.getFormattedMessage());
    }
  }

  /** Vert.x's blocked-thread checker lines seen so far in this JVM. */
  public static List<String> blockedThreadWarnings() {
    return WARNINGS.stream().filter(line -> line.contains("BlockedThreadChecker") || line.contains("has been blocked for")).toList();
  }

  /** Every captured line (any level) that contains {@code text}. */
  public static List<String> linesContaining(String text) {
    return EVERYTHING.stream().filter(line -> line.contains(text)).toList();
  }

  public static List<String> warnings() {
    return List.copyOf(WARNINGS);
  }
}
