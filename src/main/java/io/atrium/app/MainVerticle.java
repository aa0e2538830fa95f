package io.atrium.app;

import io.atrium.agent.AgentVerticle;
import io.atrium.chat.ChatVerticle;
import io.atrium.config.ConfigSection;
import io.atrium.embed.EmbedVerticle;
import io.atrium.http.ApiAccess;
import io.atrium.http.HttpVerticle;
import io.atrium.ingest.IngestVerticle;
import io.atrium.knowledge.KnowledgeVerticle;
import io.atrium.tasks.TaskVerticle;
import io.atrium.webhooks.WebhookVerticle;
import io.atrium.lifecycle.LifecycleVerticle;
import io.atrium.media.MediaVerticle;
import io.atrium.parse.ParseSettings;
import io.atrium.parse.ParseStatusVerticle;
import io.atrium.parse.ParseVerticle;
import io.atrium.push.PushVerticle;
import io.atrium.search.SearchVerticle;
import io.atrium.sessions.SessionsVerticle;
import io.atrium.sqlite.SqliteChunkSource;
import io.atrium.store.StoreReadVerticle;
import io.atrium.store.StoreVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The embedded deployment plan: store first (it migrates the schema), push, then the workers, the domain
 * verticles, lifecycle and HTTP last, so no request races a consumer that is not registered yet. Each verticle gets
 * only its own section of the configuration, or the few sections it reads, and computes its own timeouts from them.
 */
public final class MainVerticle extends VerticleBase {
  private final Runnable exit;

  public MainVerticle(Runnable exit) {
    this.exit = exit;
  }

  @Override
  public Future<?> start() {
    JsonObject conf = config();
    Path dataDir = Path.of(ConfigSection.of(conf, "data").string("dir")).toAbsolutePath().normalize();
    ConfigSection store = ConfigSection.of(conf, "store");
    String dbPath = store.string("db_path").isBlank() ? dataDir.resolve("atrium.db").toString() : store.string("db_path");
    ParseSettings parse = ParseSettings.fromJson(section(conf, "parse"));
    int searchReaders = store.integer("read_pool_size");
    // an open API beyond loopback is refused before anything starts (no migration, no queue rebuild)
    ApiAccess.fromConfig(section(conf, "http"));

    return deploy(new StoreVerticle(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
            .setWorkerPoolName("atrium-store").setWorkerPoolSize(1)
            .setConfig(new JsonObject().put("db_path", dbPath)))
        .compose(v -> deploy(new StoreReadVerticle(), new DeploymentOptions()
            .setConfig(new JsonObject().put("db_path", dbPath).put("read_pool_size", 2))))
        // push before the verticles that publish, so no start-up event (a search index rebuild) goes untranslated
        .compose(v -> deploy(new PushVerticle(), new DeploymentOptions()))
        .compose(v -> deploy(ParseVerticle::new, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
            .setInstances(parse.instances())
            .setWorkerPoolName("atrium-parse").setWorkerPoolSize(parse.instances())
            .setMaxWorkerExecuteTime(parse.maxWorkerExecuteS()).setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS)
            .setConfig(section(conf, "parse"))))
        .compose(v -> deploy(new ParseStatusVerticle(), new DeploymentOptions().setConfig(section(conf, "parse"))))
        .compose(v -> deploy(new EmbedVerticle(), new DeploymentOptions().setConfig(sections(conf, "chunk", "embed"))))
        // search reads chunks through its own read pool, opened on its own context
        .compose(v -> deploy(new SearchVerticle(searchVertx -> SqliteChunkSource.open(searchVertx, Path.of(dbPath), searchReaders, dataDir)),
            new DeploymentOptions().setConfig(sections(conf, "search")
                .put("index_dir", dataDir.resolve("lucene").toString()))))
        // tasks before ingest: the tasks a stopped atrium left open are followed again before any file runs
        // webhooks before tasks: the first task events go to its consumer too
        .compose(v -> deploy(new WebhookVerticle(), new DeploymentOptions().setConfig(sections(conf, "webhooks"))))
        .compose(v -> deploy(new TaskVerticle(), new DeploymentOptions()))
        .compose(v -> deploy(new IngestVerticle(), new DeploymentOptions().setConfig(sections(conf, "ingest", "parse")
            .put("files_dir", dataDir.resolve("files").toString()))))
        .compose(v -> deploy(new KnowledgeVerticle(), new DeploymentOptions().setConfig(sections(conf, "chunk"))))
        .compose(v -> deploy(new ChatVerticle(), new DeploymentOptions().setConfig(section(conf, "chat"))))
        // agent, media and http wait on chat: each derives its timeouts from chat's own retry budget
        .compose(v -> deploy(new AgentVerticle(), new DeploymentOptions().setConfig(sections(conf, "agent", "chat"))))
        .compose(v -> deploy(new MediaVerticle(), new DeploymentOptions().setConfig(sections(conf, "media", "chat"))))
        .compose(v -> deploy(new SessionsVerticle(), new DeploymentOptions().setConfig(sections(conf, "sessions")
            .put("conversations_dir", dataDir.resolve("conversations").toString()))))
        .compose(v -> deploy(new LifecycleVerticle(exit), new DeploymentOptions().setConfig(section(conf, "sidecar"))))
        .compose(v -> deploy(new HttpVerticle(), new DeploymentOptions().setConfig(httpConfig(conf))));
  }

  /** The HTTP verticle's config: its section, the chat, agent and sessions sections it derives timeouts from, the build. */
  public static JsonObject httpConfig(JsonObject conf) {
    Path dataDir = Path.of(ConfigSection.of(conf, "data").string("dir")).toAbsolutePath().normalize();
    return sections(conf, "http", "chat", "agent", "sessions", "tus")
        .put("version", Version.current())
        .put("uploads_tmp_dir", dataDir.resolve("uploads-tmp").toString())
        .put("tus_dir", dataDir.resolve("uploads-tus").toString());
  }

  private Future<String> deploy(Deployable verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options);
  }

  private Future<String> deploy(Supplier<? extends Deployable> verticles, DeploymentOptions options) {
    return vertx.deployVerticle(verticles::get, options);
  }

  private static JsonObject section(JsonObject conf, String name) {
    return ConfigSection.of(conf, name).values();
  }

  /** Several sections, each under its name: the config of a verticle that reads more than its own. */
  private static JsonObject sections(JsonObject conf, String... names) {
    JsonObject picked = new JsonObject();
    for (String name : names) {
      picked.put(name, section(conf, name));
    }
    return picked;
  }
}
