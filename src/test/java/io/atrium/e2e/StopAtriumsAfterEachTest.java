package io.atrium.e2e;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stops every atrium a test method started and left running, after the method and before JUnit removes the
 * method's {@code @TempDir}: JUnit closes a method's store values in reverse order, so a folder injected after the
 * {@code Vertx} went first while atrium (Lucene's commit, a parse) could still be writing into it. Registered for
 * every test through {@code META-INF/services} (autodetection is on in {@code junit-platform.properties}); an atrium
 * started in {@code @BeforeAll} is left to its class.
 */
public final class StopAtriumsAfterEachTest implements BeforeEachCallback, AfterEachCallback {
  private static final ThreadLocal<List<AtriumHarness>> STARTED_IN_TEST = new ThreadLocal<>();

  /** Called by {@link AtriumHarness#start}: remembered when a test method (not a class set-up) started it. */
  static void started(AtriumHarness atrium) {
    List<AtriumHarness> started = STARTED_IN_TEST.get();
    if (started != null) {
      started.add(atrium);
    }
  }

  /** Called by {@link AtriumHarness#stop}: nothing left to stop. */
  static void stopped(AtriumHarness atrium) {
    List<AtriumHarness> started = STARTED_IN_TEST.get();
    if (started != null) {
      started.remove(atrium);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    STARTED_IN_TEST.set(new ArrayList<>());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<AtriumHarness> started = STARTED_IN_TEST.get();
    STARTED_IN_TEST.remove();
    if (started == null) {
      return;
    }
    for (AtriumHarness atrium : started) {
      atrium.stopQuietly();
    }
  }
}
