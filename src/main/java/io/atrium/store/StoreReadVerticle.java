package io.atrium.store;

import io.atrium.bus.Addresses;
import io.atrium.bus.ErrorCode;
import io.atrium.sqlite.SqliteDatabase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Resource and suggestion reads (status, notify checks, the start-up queue, agent suggestions) on the event loop over the read pool, apart from the
 * writer so that a status request never waits for a book's chunk transaction. Deployed after {@link StoreVerticle}
 * has migrated the schema.
 */
public final class StoreReadVerticle extends VerticleBase {
  private SqliteDatabase readers;
  private ResourceReader reader;
  private MediaReader media;

  @Override
  public Future<?> start() {
    readers = SqliteDatabase.open(vertx, Path.of(config().getString("db_path")), config().getInteger("read_pool_size", 2));
    reader = new ResourceReader(readers.pool());
    media = new MediaReader(readers.pool());
    return Future.all(
        vertx.eventBus().<JsonObject>consumer(Addresses.STORE_RESOURCE_GET, message -> {
          Long id = message.body() == null ? null : message.body().getLong("id");
          if (id == null) {
            ErrorCode.INVALID_REQUEST.fail(message, "id is required", "id");
            return;
          }
          reader.get(id).onSuccess(message::reply).onFailure(e -> ErrorCode.replyFailure(message, e));
        }).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.STORE_RESOURCE_PENDING,
            message -> reader.pending().onSuccess(message::reply).onFailure(e -> ErrorCode.replyFailure(message, e))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.STORE_SUGGESTION_GET, message -> {
          Long id = message.body() == null ? null : message.body().getLong("id");
          if (id == null) {
            ErrorCode.INVALID_REQUEST.fail(message, "id is required", "id");
            return;
          }
          reader.suggestion(id).onSuccess(message::reply).onFailure(e -> ErrorCode.replyFailure(message, e));
        }).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.STORE_MEDIA_LIST, message -> media.list(
            message.body() == null ? new JsonObject() : message.body())
            .onSuccess(message::reply).onFailure(e -> ErrorCode.replyFailure(message, e))).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.STORE_MEDIA_GET, message -> {
          Long id = message.body() == null ? null : message.body().getLong("id");
          if (id == null) {
            ErrorCode.INVALID_REQUEST.fail(message, "id is required", "id");
            return;
          }
          media.get(id).onSuccess(message::reply).onFailure(e -> ErrorCode.replyFailure(message, e));
        }).completion());
  }

  @Override
  public Future<?> stop() {
    return readers == null ? Future.succeededFuture() : readers.close();
  }
}
