package io.atrium.app;

import io.atrium.config.ConfigSection;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts atrium embedded: reads conf/atrium.yaml (or the file named by {@code ATRIUM_CONFIG}) with environment
 * overrides, and deploys {@link MainVerticle}. Exits 1 if any verticle fails to start.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    String configFile = System.getenv().getOrDefault("ATRIUM_CONFIG", args.length > 0 ? args[0] : "conf/atrium.yaml");
    JsonObject config = AtriumConfig.load(Path.of(configFile), System.getenv());
    prepareNativeLibraries(config);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new MainVerticle(() -> System.exit(0)), new DeploymentOptions().setConfig(config))
        .onFailure(e -> {
          LOG.error("atrium failed to start: {}", e.getMessage(), e);
          System.exit(1);
        });
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
