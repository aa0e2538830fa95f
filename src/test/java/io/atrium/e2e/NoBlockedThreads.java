package io.atrium.e2e;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which Vert.x's blocked-thread checker warned (an event loop held past its limit, or a worker
 * past its own), with the warnings and where the thread was stuck. Warnings logged before a test began (while the
 * class was set up in {@code @BeforeAll}, say while it ingested its documents) fail that test, and those logged
 * after the last one the class. Register it with {@code @ExtendWith} on each class that runs atrium in this JVM.
 *
 * <p>The warnings come from {@link LogCapture} (the test logback configuration), and the JVM's test classes run
 * one at a time, so what was logged between two checks belongs to what ran between them. The checker looks every
 * second, so a thread blocked at the very end of a test may be reported at the start of the next.
 */
public final class NoBlockedThreads implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    LogCapture.takeBlockedThreadWarnings(); // earlier classes' (checked by their own extension, if they run atrium)
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    assertNone("before " + context.getDisplayName() + " began (while the class was set up, or after the previous test)");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    assertNone("during " + context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    assertNone("after the last test of " + context.getDisplayName());
  }

  private static void assertNone(String when) {
    List<String> warnings = LogCapture.takeBlockedThreadWarnings();
    if (!warnings.isEmpty()) {
      throw new AssertionError("a Vert.x thread was blocked " + when + ":\n  " + String.join("\n  ", warnings));
    }
  }
}
