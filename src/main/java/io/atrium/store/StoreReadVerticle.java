package io.atrium.store;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.Fields;
import io.atrium.sqlite.SqliteDatabase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Resource and suggestion reads (status, notify checks, the start-up queue, agent suggestions) on the event loop over the read pool, apart from the
 * writer so that a status request never waits for a book's chunk transaction. Deployed after {@link StoreVerticle}
 * has migrated the schema.
 */
public final class StoreReadVerticle extends VerticleBase {
  private SqliteDatabase readers;
  private ResourceReader reader;
  private MediaReader media;
  private KnowledgeReader knowledge;
  private TaskReader tasks;
  private WebhookReader webhooks;
  private ListReader lists;

  @Override
  public Future<?> start() {
    readers = SqliteDatabase.open(vertx, Path.of(config().getString("db_path")), config().getInteger("read_pool_size"));
    reader = new ResourceReader(readers.pool());
    media = new MediaReader(readers.pool());
    knowledge = new KnowledgeReader(readers.pool());
    tasks = new TaskReader(readers.pool());
    webhooks = new WebhookReader(readers.pool());
    lists = new ListReader(readers.pool());
    return Future.all(List.of(
        handle(Addresses.STORE_RESOURCE_GET, body -> reader.get(id(body))),
        handle(Addresses.STORE_RESOURCE_VECTORS, body -> reader.vectors(id(body),
            Fields.text(body, "model", 200, true))),
        handle(Addresses.STORE_RESOURCE_PENDING, body -> reader.pending()),
        handle(Addresses.STORE_SUGGESTION_GET, body -> reader.suggestion(id(body))),
        handle(Addresses.STORE_MEDIA_LIST, media::list),
        handle(Addresses.STORE_MEDIA_GET, body -> media.get(id(body))),
        handle(Addresses.STORE_KB_GET, body -> knowledge.base(id(body))),
        handle(Addresses.STORE_KB_LIST, body -> knowledge.bases(body.getInteger("limit", 50), body.getLong("cursor", 0L))),
        handle(Addresses.STORE_DOCUMENT_LIST, body -> knowledge.documents(body.getLong("knowledge_base_id"),
            body.getString("status"), body.getInteger("limit", 50), body.getLong("cursor", 0L))),
        handle(Addresses.STORE_DOCUMENT_GET, body -> knowledge.document(id(body))),
        handle(Addresses.STORE_TASK_GET, body -> tasks.task(id(body))),
        handle(Addresses.STORE_TASK_LIST, body -> tasks.tasks(body.getString("status"), body.getString("kind"),
            body.getInteger("limit", 50), body.getLong("cursor", 0L))),
        handle(Addresses.STORE_TASK_ACTIVE, body -> tasks.active()),
        handle(Addresses.STORE_CHAT_SESSION_LIST, lists::chatSessions),
        handle(Addresses.STORE_SUGGESTION_LIST, lists::suggestions),
        handle(Addresses.STORE_READ_PING, body -> readers.pool().query("SELECT 1").execute().map(rows -> new JsonObject())),
        handle(Addresses.STORE_WEBHOOK_LIST, body -> webhooks.ofTask(Fields.positiveLong(body, "task_id"))),
        handle(Addresses.STORE_WEBHOOK_PENDING, body -> webhooks.pending()),
        handle(Addresses.STORE_DOCUMENT_IDS, body -> knowledge.documentIds(Fields.positiveLong(body, "knowledge_base_id")))));
  }

  private Future<Void> handle(String address, Function<JsonObject, Future<JsonObject>> read) {
    return Bus.serve(vertx, address, read);
  }

  private static long id(JsonObject body) {
    return Fields.positiveLong(body, "id");
  }


  @Override
  public Future<?> stop() {
    return readers == null ? Future.succeededFuture() : readers.close();
  }
}
