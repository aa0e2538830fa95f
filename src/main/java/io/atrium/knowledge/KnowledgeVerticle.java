package io.atrium.knowledge;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.bus.Pages;
import io.atrium.config.ConfigSection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Knowledge bases (issue 15, after Dify's datasets and RAGFlow's per-dataset parser_config): each has a name, a
 * description, its own chunk settings (none: the configured {@code chunk} section's) and an optional default
 * callback URL. This verticle checks what clients send and shapes what they get; the rows are the store's, the
 * documents' files and indexes ingest's. New chunk settings queue the base's documents for re-indexing; deleting a
 * base deletes its documents first, each through ingest, as {@code DELETE /api/v1/documents/{id}} would.
 */
public final class KnowledgeVerticle extends VerticleBase {
  /** The embedding models read at most this many tokens of a chunk (bge: 512). */
  static final int MAX_CHUNK_TOKENS = 512;
  static final int MIN_CHUNK_TOKENS = 32;
  private static final Set<String> STATUSES = Set.of("todo", "chunking", "embedding", "done", "error");
  private static final long STORE_TIMEOUT_MS = 30_000;
  private static final long DELETE_TIMEOUT_MS = 60_000;

  private int defaultChunkSize;
  private int defaultChunkOverlap;
  private String embeddingModel;

  @Override
  public Future<?> start() {
    ConfigSection chunk = ConfigSection.of(config(), "chunk");
    defaultChunkSize = chunk.integer("size_tokens");
    defaultChunkOverlap = chunk.integer("overlap_tokens");
    return Bus.request(vertx, Addresses.EMBED_INFO, new JsonObject(), 30_000)
        .onSuccess(info -> embeddingModel = info.getString("model"))
        .compose(info -> Future.all(List.of(
            Bus.serve(vertx, Addresses.KNOWLEDGE_BASE_CREATE, this::create),
            Bus.serve(vertx, Addresses.KNOWLEDGE_BASE_GET, body -> base(Fields.positiveLong(body, "id"))),
            Bus.serve(vertx, Addresses.KNOWLEDGE_BASE_LIST, this::list),
            Bus.serve(vertx, Addresses.KNOWLEDGE_BASE_UPDATE, this::update),
            Bus.serve(vertx, Addresses.KNOWLEDGE_BASE_DELETE, this::delete),
            Bus.serve(vertx, Addresses.KNOWLEDGE_DOCUMENT_LIST, this::documents),
            Bus.serve(vertx, Addresses.KNOWLEDGE_DOCUMENT_GET, this::document),
            Bus.serve(vertx, Addresses.KNOWLEDGE_DOCUMENT_DELETE, this::deleteDocument))));
  }

  private Future<JsonObject> create(JsonObject body) {
    JsonObject row = fields(body, true);
    return checkCallback(row).compose(v -> store(Addresses.STORE_KB_SAVE, row)).compose(saved -> base(saved.getLong("id")));
  }

  /** A base's default callback must be one a task may be given (a secret set, no private address). */
  private Future<Void> checkCallback(JsonObject row) {
    String url = row.getString("callback_url");
    return url == null ? Future.succeededFuture()
        : store(Addresses.WEBHOOKS_CHECK, new JsonObject().put("url", url)).mapEmpty();
  }

  private Future<JsonObject> update(JsonObject body) {
    long id = Fields.positiveLong(body, "id");
    JsonObject row = fields(body, false).put("id", id);
    return checkCallback(row).compose(v -> store(Addresses.STORE_KB_SAVE, row)).compose(saved -> !saved.getBoolean("chunk_changed")
        ? base(id)
        : store(Addresses.STORE_DOCUMENT_IDS, new JsonObject().put("knowledge_base_id", id))
            .compose(ids -> reindex(id, ids.getJsonArray("ids")))
            .compose(reindex -> base(id).map(base -> base.put("reindex", reindex))));
  }

  /** A re-index task over the base's documents, followed before they are queued: {task_id, documents}. */
  private Future<JsonObject> reindex(long base, JsonArray ids) {
    return store(Addresses.TASKS_REINDEX, new JsonObject().put("knowledge_base_id", base).put("resource_ids", ids)
            .put("title", "Re-index of knowledge base " + base))
        .compose(task -> store(Addresses.INGEST_REINDEX, new JsonObject().put("resource_ids", ids)
                .put("knowledge_base_id", base))
            .map(queued -> queued.put("task_id", task.getLong("task_id"))));
  }

  /** The documents go one by one through ingest (in-flight runs are stopped, stored files removed), then the row. */
  private Future<JsonObject> delete(JsonObject body) {
    long id = Fields.positiveLong(body, "id");
    if (id == 1) {
      return Future.failedFuture(ErrorCode.CONFLICT.exception("the default knowledge base cannot be deleted", "id"));
    }
    return base(id)
        .compose(base -> store(Addresses.STORE_DOCUMENT_IDS, new JsonObject().put("knowledge_base_id", id)))
        .compose(ids -> {
          Future<Void> chain = Future.succeededFuture();
          for (Object resourceId : ids.getJsonArray("ids")) {
            chain = chain.compose(v -> Bus.request(vertx, Addresses.INGEST_DELETE,
                new JsonObject().put("id", resourceId), DELETE_TIMEOUT_MS).mapEmpty());
          }
          return chain.map(v -> ids.getJsonArray("ids").size());
        })
        .compose(deleted -> store(Addresses.STORE_KB_DELETE, new JsonObject().put("id", id))
            .map(gone -> gone.put("documents_deleted", deleted)));
  }

  private Future<JsonObject> list(JsonObject body) {
    return store(Addresses.STORE_KB_LIST, Pages.of(body)).map(page -> {
      JsonArray shaped = new JsonArray();
      page.getJsonArray("knowledge_bases").forEach(row -> shaped.add(shape((JsonObject) row)));
      return page.put("knowledge_bases", shaped);
    });
  }

  private Future<JsonObject> base(long id) {
    return store(Addresses.STORE_KB_GET, new JsonObject().put("id", id)).map(this::shape);
  }

  private Future<JsonObject> documents(JsonObject body) {
    JsonObject query = Pages.of(body);
    Long base = Fields.optionalPositiveLong(body, "knowledge_base_id");
    Object status = body.getValue("status");
    if (status != null && !STATUSES.contains(status)) {
      throw ErrorCode.INVALID_REQUEST.exception("status must be one of todo, chunking, embedding, done, error", "status");
    }
    query.put("knowledge_base_id", base).put("status", status);
    return (base == null ? Future.succeededFuture() : base(base))
        .compose(v -> store(Addresses.STORE_DOCUMENT_LIST, query));
  }

  /** One document; with a base named, only if it is in that base. */
  private Future<JsonObject> document(JsonObject body) {
    long id = Fields.positiveLong(body, "id");
    Long base = Fields.optionalPositiveLong(body, "knowledge_base_id");
    return (base == null ? Future.succeededFuture() : base(base))
        .compose(v -> store(Addresses.STORE_DOCUMENT_GET, new JsonObject().put("id", id)))
        .compose(document -> base == null || base.equals(document.getLong("knowledge_base_id"))
            ? Future.succeededFuture(document)
            : Future.failedFuture(ErrorCode.NOT_FOUND.exception("document " + id + " is not in knowledge base " + base, "id")));
  }

  private Future<JsonObject> deleteDocument(JsonObject body) {
    return document(body).compose(document -> Bus.request(vertx, Addresses.INGEST_DELETE,
            new JsonObject().put("id", document.getLong("id")), DELETE_TIMEOUT_MS))
        .map(deleted -> new JsonObject().put("id", deleted.getLong("resource_id")).put("deleted", true));
  }

  /** The checked fields of a create ({@code required} name) or an update, as the store's columns. */
  private JsonObject fields(JsonObject body, boolean creating) {
    JsonObject row = new JsonObject();
    if (creating || body.containsKey("name")) {
      String name = Fields.text(body, "name", 100, true);
      if (name.chars().anyMatch(Character::isISOControl)) {
        throw ErrorCode.INVALID_REQUEST.exception("name must not contain control characters", "name");
      }
      row.put("name", name);
    }
    if (body.containsKey("description")) {
      row.put("description", Fields.optionalString(body, "description", 2000));
    }
    if (body.containsKey("callback_url")) {
      row.put("callback_url", Fields.optionalHttpUrl(body, "callback_url"));
    }
    Object model = body.getValue("embedding_model");
    if (model != null && !model.equals(embeddingModel)) {
      throw ErrorCode.INVALID_REQUEST.exception("embedding_model must be " + embeddingModel
          + ", the model this atrium embeds with (embed.model)", "embedding_model");
    }
    if (body.containsKey("chunk")) {
      Object chunk = body.getValue("chunk");
      if (chunk == null) {
        row.putNull("chunk_size").putNull("chunk_overlap"); // back to the configured settings
      } else if (!(chunk instanceof JsonObject settings)) {
        throw ErrorCode.INVALID_REQUEST.exception("chunk must be an object {size, overlap}", "chunk");
      } else {
        int size = integer(settings, "size", MIN_CHUNK_TOKENS, MAX_CHUNK_TOKENS, defaultChunkSize);
        int overlap = integer(settings, "overlap", 0, size / 2, Math.min(defaultChunkOverlap, size / 2));
        row.put("chunk_size", size).put("chunk_overlap", overlap);
      }
    }
    for (String field : body.fieldNames()) {
      if (!Set.of("id", "name", "description", "callback_url", "embedding_model", "chunk").contains(field)) {
        throw ErrorCode.INVALID_REQUEST.exception("unknown field " + field + " (a knowledge base has name, "
            + "description, chunk {size, overlap}, embedding_model, callback_url)", field);
      }
    }
    return row;
  }

  private static int integer(JsonObject settings, String field, int min, int max, int absent) {
    Object value = settings.getValue(field);
    if (value == null) {
      if (absent < min || absent > max) {
        throw ErrorCode.INVALID_REQUEST.exception("chunk." + field + " must be given: the configured " + absent
            + " is outside " + min + ".." + max, "chunk." + field);
      }
      return absent;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw ErrorCode.INVALID_REQUEST.exception("chunk." + field + " must be an integer in " + min + ".." + max
          + (field.equals("size") ? " tokens (the embedding model reads at most " + MAX_CHUNK_TOKENS + ")"
          : " tokens (at most half the chunk size)"), "chunk." + field);
    }
    return ((Number) value).intValue();
  }

  /** A base as clients see it: chunk settings in effect (the configured ones where it has none). */
  private JsonObject shape(JsonObject row) {
    Integer size = row.getInteger("chunk_size");
    Integer overlap = row.getInteger("chunk_overlap");
    JsonObject base = new JsonObject()
        .put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("description", row.getString("description"))
        .put("chunk", new JsonObject().put("size", size != null ? size : defaultChunkSize)
            .put("overlap", overlap != null ? overlap : defaultChunkOverlap)
            .put("configured_default", size == null))
        .put("embedding_model", embeddingModel)
        .put("created_at", row.getString("created_at"))
        .put("updated_at", row.getString("updated_at"))
        .put("document_count", row.getLong("document_count"))
        .put("chunk_count", row.getLong("chunk_count"));
    if (row.getString("callback_url") != null) {
      base.put("callback_url", row.getString("callback_url"));
    }
    return base;
  }

  private Future<JsonObject> store(String address, JsonObject body) {
    return Bus.request(vertx, address, body, STORE_TIMEOUT_MS);
  }
}
