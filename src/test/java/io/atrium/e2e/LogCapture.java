package io.atrium.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every WARN or worse log line of the test JVM, so tests can assert what was (not) logged. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      WARNINGS.add(event.getLoggerName() + ": " + event.getFormattedMessage());
    }
  }

  /** Vert.x's blocked-thread checker lines seen so far in this JVM. */
  public static List<String> blockedThreadWarnings() {
    return WARNINGS.stream().filter(line -> line.contains("BlockedThreadChecker") || line.contains("has been blocked for")).toList();
  }

  public static List<String> warnings() {
    return List.copyOf(WARNINGS);
  }
}
