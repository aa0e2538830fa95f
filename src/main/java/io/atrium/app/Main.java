package io.atrium.app;

import io.atrium.config.ConfigSection;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

  private Main() {
  }

  public static void main(String[] args) {
    JsonObject config;
    try {
      config = AtriumConfig.load(configFile(System.getenv(), args), System.getenv());
      prepareNativeLibraries(config);
    } catch (IllegalArgumentException refused) {
      failedToStart(refused);
      return;
    }
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new MainVerticle(() -> System.exit(0)), new DeploymentOptions().setConfig(config))
        .onFailure(Main::failedToStart);
  }

  /** The file named by ATRIUM_CONFIG or the first argument (which must exist), else conf/atrium.yaml if present. */
  static Path configFile(Map<String, String> env, String[] args) {
    String named = env.getOrDefault("ATRIUM_CONFIG", args.length > 0 ? args[0] : null);
    if (named != null) {
      return Path.of(named);
    }
    return Files.isRegularFile(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
  }

  private static void failedToStart(Throwable failure) {
    String refused = refusal(failure);
    if (refused != null) {
      LOG.error("atrium failed to start: {}", refused);
    } else {
      LOG.error("atrium failed to start: {}", failure.getMessage(), failure);
    }
    System.exit(1);
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

  /** The tokenizer's native library is unpacked under the data directory, never fetched (atrium works offline). */
  static void prepareNativeLibraries(JsonObject config) {
    String dataDir = ConfigSection.of(config, "data").string("dir");
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", Path.of(dataDir, "cache", "djl").toAbsolutePath().toString());
    }
  }
}
