package io.atrium.store;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ChunksReplace;
import io.atrium.bus.Fields;
import io.atrium.bus.Keys;
import io.atrium.bus.Stage;
import io.atrium.sqlite.Migrations;
import io.atrium.sqlite.SqliteWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of the SQLite file, deployed as a single WORKER instance: migrations at start, then every resource
 * and chunk write, each run synchronously on its own thread through one JDBC connection. Announces index changes on
 * {@link Addresses#EVENTS_INDEX_CHANGED}. Reads are {@link StoreReadVerticle}'s, so they never queue behind a write.
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StoreVerticle.class);

  private SqliteWriter writer;
  private ResourceStore store;

  @Override
  public Future<?> start() throws SQLException {
    // a worker verticle starts on its own thread: opening and migrating here blocks no event loop
    String dbPath = config().getString("db_path");
    writer = SqliteWriter.open(Path.of(dbPath));
    boolean hostOwned = Migrations.migrate(writer);
    store = new ResourceStore(writer, hostOwned);
    MediaStore media = new MediaStore(writer);
    LOG.info("store ready at {} (resources owned by {})", dbPath, hostOwned ? "the host app" : "atrium");
    return Future.all(List.of(
        handle(Addresses.STORE_RESOURCE_CREATE, this::create),
        handle(Addresses.STORE_RESOURCE_STAGE, body -> {
          store.stage(id(body, "id"), Stage.of(body.getString("stage")), body.getString("processing_hash"), body.getString("file_hash"));
          return new JsonObject();
        }),
        handle(Addresses.STORE_RESOURCE_FAIL, body -> {
          store.fail(id(body, "id"), body.getString("error", "unknown error"), body.getBoolean("permanent", false));
          return new JsonObject();
        }),
        handle(Addresses.STORE_CHUNKS_REPLACE, this::replaceChunks),
        handle(Addresses.STORE_MODEL_CHECK, body -> new JsonObject().put("reindex", store.checkModel(Fields.text(body, "model", 200, true)))),
        handle(Addresses.STORE_RESOURCE_DELETE, this::delete),
        handle(Addresses.STORE_SUGGESTION_SAVE, new SuggestionStore(writer)::save),
        handle(Addresses.STORE_MEDIA_UPSERT, body -> media.upsert(body.getJsonArray("files", new JsonArray()))),
        handle(Addresses.STORE_MEDIA_CLAIM, body -> media.claim(body.getLong("claim_timeout_s", 600L))),
        handle(Addresses.STORE_MEDIA_CLAIM_ONE, body -> media.claimOne(id(body, "id"), body.getJsonArray("from", new JsonArray()))),
        handle(Addresses.STORE_MEDIA_FINISH, media::finish),
        handle(Addresses.STORE_PING, body -> new JsonObject()),
        KnowledgeStore.register(vertx, writer),
        TaskStore.register(vertx, writer, hostOwned),
        WebhookStore.register(vertx, writer),
        ChatStore.register(vertx, writer),
        SessionStore.register(vertx, writer)));
  }

  @Override
  public Future<?> stop() {
    if (writer != null) {
      writer.close();
    }
    return Future.succeededFuture();
  }

  private JsonObject replaceChunks(JsonObject body) throws SQLException {
    ChunksReplace replace = ChunksReplace.fromJson(body);
    ResourceStore.IndexChange change = store.replaceChunks(replace);
    vertx.eventBus().publish(Addresses.EVENTS_INDEX_CHANGED, change.toJson());
    return new JsonObject().put(Keys.RESOURCE_ID, replace.resourceId()).put(Keys.CHUNKS, change.chunks());
  }

  private JsonObject create(JsonObject body) throws SQLException {
    Long knowledgeBase = Fields.optionalPositiveLong(body, "knowledge_base_id");
    JsonObject created = store.create(body.getJsonArray("files", new JsonArray()),
        Fields.optionalPositiveLong(body, "task_id"), taskTitle(body),
        knowledgeBase == null ? KnowledgeStore.DEFAULT_BASE : knowledgeBase,
        ResourceStore.OnDuplicate.of(body.getString("on_duplicate")), body.getJsonObject("callback"));
    for (Object replaced : created.getJsonArray("replaced")) {
      JsonObject deleted = (JsonObject) replaced;
      vertx.eventBus().publish(Addresses.EVENTS_INDEX_CHANGED, new JsonObject()
          .put("resource_id", deleted.getLong("resource_id")).put("action", "removed").put("seq", deleted.getLong("seq")));
    }
    return created;
  }

  private JsonObject delete(JsonObject body) throws SQLException {
    long resourceId = id(body, "id");
    JsonObject deleted = store.delete(resourceId);
    vertx.eventBus().publish(Addresses.EVENTS_INDEX_CHANGED,
        new JsonObject().put("resource_id", resourceId).put("action", "removed").put("seq", deleted.remove("seq")));
    return deleted;
  }

  private Future<Void> handle(String address, Bus.SyncOperation write) {
    return Bus.serveSync(vertx, address, write);
  }

  private static String taskTitle(JsonObject body) {
    String title = Fields.text(body, "task_title", 500, false);
    return title == null ? "upload" : title;
  }

  static long id(JsonObject body, String field) {
    return Fields.positiveLong(body, field);
  }
}
