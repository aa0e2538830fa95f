package io.atrium.store;

import io.atrium.bus.Addresses;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Stage;
import io.atrium.sqlite.Migrations;
import io.atrium.sqlite.SqliteDatabase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of the SQLite file (deployed as a single WORKER instance, one connection): migrations at start,
 * then every resource and chunk write. Announces index changes on {@link Addresses#EVENTS_INDEX_CHANGED}.
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StoreVerticle.class);

  private SqliteDatabase database;
  private SqliteDatabase readers;
  private ResourceStore store;
  private java.sql.Connection chatConnection;

  @Override
  public Future<?> start() {
    database = SqliteDatabase.open(vertx, Path.of(config().getString("db_path")), 1);
    return Migrations.migrate(database.pool())
        .onSuccess(hostOwned -> {
          // reads (status, notify checks) must not queue behind a large chunk transaction on the writer
          readers = SqliteDatabase.open(vertx, Path.of(config().getString("db_path")), config().getInteger("read_pool_size", 2));
          store = new ResourceStore(database.pool(), readers.pool(), hostOwned);
          LOG.info("store ready at {} (resources owned by {})", config().getString("db_path"), hostOwned ? "the host app" : "atrium");
        })
        .compose(v -> openChatConnection())
        .compose(v -> Future.all(java.util.List.of(
            handle(Addresses.STORE_RESOURCE_GET, body -> store.get(id(body, "id"))),
            handle(Addresses.STORE_RESOURCE_PENDING, body -> store.pending().map(ids -> new JsonObject().put("ids", ids))),
            handle(Addresses.STORE_RESOURCE_CREATE, body -> store.create(body.getJsonArray("files", new JsonArray()),
                body.getLong("task_id"), body.getString("task_title", "upload"))),
            handle(Addresses.STORE_RESOURCE_STAGE, body -> store.stage(id(body, "id"), Stage.of(body.getString("stage")),
                body.getString("processing_hash"), body.getString("file_hash")).map(new JsonObject())),
            handle(Addresses.STORE_RESOURCE_FAIL, body -> store.fail(id(body, "id"), body.getString("error", "unknown error"))
                .map(new JsonObject())),
            handle(Addresses.STORE_CHUNKS_REPLACE, this::replaceChunks),
            handle(Addresses.STORE_MODEL_CHECK, body -> store.checkModel(body.getString("model"))
                .map(count -> new JsonObject().put("reindex", count))),
            handle(Addresses.STORE_RESOURCE_DELETE, this::delete),
            ChatStore.register(vertx, () -> chatConnection))));
  }

  /** Chat's SQL is plain JDBC on this worker thread (see {@link ChatStore}); its own connection until the merge. */
  private Future<Void> openChatConnection() {
    try {
      chatConnection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + Path.of(config().getString("db_path"))
          .toAbsolutePath() + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000");
      return Future.succeededFuture();
    } catch (java.sql.SQLException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<?> stop() {
    if (chatConnection != null) {
      try {
        chatConnection.close();
      } catch (java.sql.SQLException e) {
        LOG.warn("closing the chat connection: {}", e.getMessage());
      }
    }
    return Future.join(database == null ? Future.succeededFuture() : database.close(),
        readers == null ? Future.succeededFuture() : readers.close());
  }

  private Future<JsonObject> replaceChunks(JsonObject body) {
    long resourceId = id(body, "resource_id");
    return store.replaceChunks(resourceId, body.getString("indexed_hash"), body.getString("model"),
            body.getJsonArray("chunks", new JsonArray()))
        .map(count -> {
          vertx.eventBus().publish(Addresses.EVENTS_INDEX_CHANGED,
              new JsonObject().put("resource_id", resourceId).put("action", "replaced").put("chunks", count));
          return new JsonObject().put("resource_id", resourceId).put("chunks", count);
        });
  }

  private Future<JsonObject> delete(JsonObject body) {
    long resourceId = id(body, "id");
    return store.delete(resourceId).onSuccess(result -> vertx.eventBus().publish(Addresses.EVENTS_INDEX_CHANGED,
        new JsonObject().put("resource_id", resourceId).put("action", "removed")));
  }

  private Future<Void> handle(String address, Function<JsonObject, Future<JsonObject>> operation) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> run(message, operation)).completion();
  }

  private static void run(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> operation) {
    Future<JsonObject> result;
    try {
      result = operation.apply(message.body() == null ? new JsonObject() : message.body());
    } catch (IllegalArgumentException | ClassCastException e) {
      ErrorCode.INVALID_REQUEST.fail(message, e.getMessage());
      return;
    }
    result.onSuccess(message::reply).onFailure(e -> {
      if (e instanceof io.vertx.core.eventbus.ReplyException) {
        LOG.debug("store request on {} refused: {}", message.address(), e.getMessage());
      } else {
        LOG.error("store request on {} failed", message.address(), e);
      }
      ErrorCode.replyFailure(message, e);
    });
  }

  private static long id(JsonObject body, String field) {
    Long id = body.getLong(field);
    if (id == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return id;
  }
}
