package io.atrium.app;

import io.atrium.agent.AgentVerticle;
import io.atrium.chat.ChatVerticle;
import io.atrium.embed.EmbedVerticle;
import io.atrium.http.HttpVerticle;
import io.atrium.ingest.IngestVerticle;
import io.atrium.lifecycle.LifecycleVerticle;
import io.atrium.media.MediaVerticle;
import io.atrium.parse.ParseVerticle;
import io.atrium.push.PushVerticle;
import io.atrium.search.SearchVerticle;
import io.atrium.sqlite.SqliteChunkSource;
import io.atrium.store.StoreReadVerticle;
import io.atrium.store.StoreVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Deployable;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The embedded deployment plan: store first (it migrates the schema), push, then the workers, the domain
 * verticles, lifecycle and HTTP last, so no request races a consumer that is not registered yet. Each verticle gets
 * only its own section of the configuration.
 */
public final class MainVerticle extends VerticleBase {
  private final Runnable exit;

  public MainVerticle(Runnable exit) {
    this.exit = exit;
  }

  @Override
  public Future<?> start() {
    JsonObject conf = config();
    Path dataDir = Path.of(section(conf, "data").getString("dir", "./data")).toAbsolutePath().normalize();
    JsonObject storeConf = section(conf, "store");
    String dbPath = storeConf.getString("db_path", "").isBlank()
        ? dataDir.resolve("atrium.db").toString() : storeConf.getString("db_path");
    JsonObject parse = section(conf, "parse");
    int searchReaders = storeConf.getInteger("read_pool_size", 4);

    return deploy(new StoreVerticle(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
            .setWorkerPoolName("atrium-store").setWorkerPoolSize(1)
            .setConfig(new JsonObject().put("db_path", dbPath)))
        .compose(v -> deploy(new StoreReadVerticle(), new DeploymentOptions()
            .setConfig(new JsonObject().put("db_path", dbPath).put("read_pool_size", 2))))
        // push before the verticles that publish, so no start-up event (a search index rebuild) goes untranslated
        .compose(v -> deploy(new PushVerticle(), new DeploymentOptions()))
        .compose(v -> deploy(ParseVerticle::new, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
            .setInstances(parse.getInteger("instances", 1))
            .setWorkerPoolName("atrium-parse").setWorkerPoolSize(parse.getInteger("instances", 1))
            // a parse may legitimately take up to its time limit; the parser abandons it after that
            .setMaxWorkerExecuteTime(parse.getLong("timeout_s", 120L) + 30).setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS)
            .setConfig(parse)))
        .compose(v -> deploy(new EmbedVerticle(), new DeploymentOptions()
            .setConfig(new JsonObject().put("chunk", section(conf, "chunk")).put("embed", section(conf, "embed")))))
        // search reads chunks through its own read pool, opened on its own context
        .compose(v -> deploy(new SearchVerticle(searchVertx -> SqliteChunkSource.open(searchVertx, Path.of(dbPath), searchReaders)),
            new DeploymentOptions().setConfig(new JsonObject()
            .put("index_dir", dataDir.resolve("lucene").toString())
            .put("search", section(conf, "search")))))
        .compose(v -> deploy(new IngestVerticle(), new DeploymentOptions().setConfig(section(conf, "ingest").copy()
            .put("files_dir", dataDir.resolve("files").toString()))))
        .compose(v -> deploy(new ChatVerticle(), new DeploymentOptions().setConfig(section(conf, "chat"))))
        .compose(v -> deploy(new AgentVerticle(), new DeploymentOptions().setConfig(section(conf, "agent").copy()
            .put("llm_timeout_ms", chatTimeoutMs(section(conf, "chat"))))))
        .compose(v -> deploy(new MediaVerticle(), new DeploymentOptions().setConfig(section(conf, "media").copy()
            .put("llm_timeout_ms", chatTimeoutMs(section(conf, "chat"))))))
        .compose(v -> deploy(new LifecycleVerticle(exit), new DeploymentOptions().setConfig(section(conf, "sidecar"))))
        .compose(v -> deploy(new HttpVerticle(), new DeploymentOptions().setConfig(section(conf, "http").copy()
            .put("version", Version.current())
            .put("chat_timeout_ms", chatTimeoutMs(section(conf, "chat")))
            // a suggestion may ask the model again after a refused answer
            // a retry or manual match processes the file while the request waits: recognition, TMDB lookups, the link
            .put("media_timeout_ms", chatTimeoutMs(section(conf, "chat")) + 120_000)
            .put("agent_timeout_ms", chatTimeoutMs(section(conf, "chat")) * Math.max(1, section(conf, "agent").getInteger("max_attempts", 2)) + 30_000)
            .put("uploads_tmp_dir", dataDir.resolve("uploads-tmp").toString()))));
  }

  private Future<String> deploy(Deployable verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options);
  }

  private Future<String> deploy(java.util.function.Supplier<? extends Deployable> verticles, DeploymentOptions options) {
    return vertx.deployVerticle(verticles::get, options);
  }

  /** How long HTTP waits for a chat answer (or a stream's start): every attempt's timeout and retry wait, and a margin. */
  private static long chatTimeoutMs(JsonObject chat) {
    int attempts = Math.max(1, chat.getInteger("max_attempts", 3));
    return attempts * chat.getLong("timeout_ms", 120_000L) + (attempts - 1) * chat.getLong("max_retry_wait_ms", 10_000L)
        + 30_000;
  }

  private static JsonObject section(JsonObject conf, String name) {
    JsonObject section = conf.getJsonObject(name);
    return section == null ? new JsonObject() : section;
  }
}
