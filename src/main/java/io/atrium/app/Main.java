package io.atrium.app;

import io.atrium.bus.Addresses;
import io.atrium.config.ConfigSection;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts atrium embedded: reads conf/atrium.yaml (or the file named by {@code ATRIUM_CONFIG} or the first argument)
 * with environment overrides, and deploys {@link MainVerticle}. Exits 1 if the configuration is refused or any
 * verticle fails to start.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final Path DEFAULT_CONFIG = Path.of("conf/atrium.yaml");
  /** The lifecycle verticle's own drain limit (120 s) and a margin for closing Vert.x. */
  private static final long DRAIN_WAIT_S = 150;

  private Main() {
  }

  public static void main(String[] args) {
    JsonObject config;
    try {
      config = AtriumConfig.load(configFile(System.getenv(), args), System.getenv());
      prepareNativeLibraries(config);
    } catch (IllegalArgumentException refused) {
      logStartFailure(refused);
      System.exit(1);
      return;
    }
    Vertx vertx = Vertx.vertx();
    SignalStop signal = new SignalStop(vertx);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("atrium-sigterm").unstarted(signal::drain));
    vertx.deployVerticle(new MainVerticle(signal::exit), new DeploymentOptions().setConfig(config))
        .onFailure(e -> {
          logStartFailure(e);
          signal.fail();
        });
  }

  /** The file named by ATRIUM_CONFIG or the first argument (which must exist), else conf/atrium.yaml if present. */
  static Path configFile(Map<String, String> env, String[] args) {
    String named = env.getOrDefault("ATRIUM_CONFIG", args.length > 0 ? args[0] : null);
    if (named != null) {
      return Path.of(named);
    }
    return Files.isRegularFile(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
  }

  private static void logStartFailure(Throwable failure) {
    String refused = refusal(failure);
    if (refused != null) {
      LOG.error("atrium failed to start: {}", refused);
    } else {
      LOG.error("atrium failed to start: {}", failure.getMessage(), failure);
    }
  }

  /**
   * The one line a refused setting is told in, or null for a failure that needs its stack trace. A refusal is an
   * {@link IllegalArgumentException} among the causes: atrium's word for bad input (a setting, checked at start,
   * names its key), for which a stack trace would only hide the line that matters.
   */
  static String refusal(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof IllegalArgumentException refused) {
        return String.valueOf(refused.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ");
      }
    }
    return null;
  }

  /**
   * SIGTERM (what {@code docker stop} and systemd send) stops atrium as {@code POST /shutdown} does: the JVM runs this
   * hook, which asks the lifecycle verticle for the same drain and waits for it, then exits 0. After a shutdown that
   * began inside atrium (the API, stdin closed, heartbeats stopped) the hook has nothing left to do.
   */
  static final class SignalStop {
    private final Vertx vertx;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean signalled;
    private volatile boolean exiting;

    SignalStop(Vertx vertx) {
      this.vertx = vertx;
    }

    /** The end of a drain: System.exit, except inside the hook, where the JVM is already on its way out. */
    void exit() {
      if (signalled) {
        stopped.complete(null);
      } else {
        exiting = true;
        System.exit(0);
      }
    }

    /** A start that failed: exit 1, and the hook leaves it at that. */
    void fail() {
      exiting = true;
      System.exit(1);
    }

    void drain() {
      if (exiting) {
        return;
      }
      signalled = true;
      LOG.info("SIGTERM: draining as POST /shutdown does");
      vertx.eventBus().request(Addresses.LIFECYCLE_SHUTDOWN, new JsonObject())
          .onFailure(e -> stopped.complete(null)); // not started yet, or already closing: nothing to drain
      try {
        stopped.get(DRAIN_WAIT_S, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("SIGTERM: the drain did not end within {} s; exiting anyway", DRAIN_WAIT_S);
        return;
      }
      System.out.flush();
      Runtime.getRuntime().halt(0); // drained like /shutdown: exit as it does (the JVM would say 143)
    }
  }

  /** The tokenizer's native library is unpacked under the data directory, never fetched (atrium works offline). */
  static void prepareNativeLibraries(JsonObject config) {
    String dataDir = ConfigSection.of(config, "data").string("dir");
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", Path.of(dataDir, "cache", "djl").toAbsolutePath().toString());
    }
  }
}
