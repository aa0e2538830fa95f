package io.atrium.embed;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.EmbeddedChunk;
import io.atrium.bus.EmbeddedDocument;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.bus.Vectors;
import io.atrium.chunk.Block;
import io.atrium.chunk.Chunk;
import io.atrium.chunk.Chunker;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks parsed documents and embeds the chunks ({@link Addresses#EMBED_DOCUMENT}), embeds queries
 * ({@link Addresses#EMBED_QUERY}). Runs on an event loop: inference happens on the embedder's own threads.
 */
public final class EmbedVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EmbedVerticle.class);
  private static final long PROGRESS_INTERVAL_MS = 500;
  private static final long STORED_VECTORS_TIMEOUT_MS = 10_000;

  private Embedder embedder;
  private Chunker chunker;

  @Override
  public Future<?> start() {
    EmbedSettings settings = EmbedSettings.fromJson(config());
    chunker = new Chunker(settings.chunkSizeTokens(), settings.chunkOverlapTokens());
    return vertx.executeBlocking(() -> createEmbedder(settings))
        .onSuccess(created -> embedder = created)
        .compose(v -> Future.all(
            Bus.serve(vertx, Addresses.EMBED_DOCUMENT, this::embedDocument),
            Bus.serve(vertx, Addresses.EMBED_QUERY, this::embedQuery),
            Bus.serve(vertx, Addresses.EMBED_INFO, body -> Future.succeededFuture(info()))));
  }

  private Embedder createEmbedder(EmbedSettings settings) {
    EmbedSettings.Remote remote = settings.remote();
    return switch (settings.provider()) {
      case "onnx" -> new OnnxEmbedder(settings.model(), settings.threads());
      case "openai" -> new RemoteEmbedder(vertx, remote.baseUrl(), remote.apiKey(), remote.model(), remote.batch(),
          remote.timeoutMs(), remote.language());
      default -> throw new IllegalArgumentException("embed.provider must be onnx or openai");
    };
  }

  @Override
  public Future<?> stop() {
    if (embedder != null) {
      embedder.close();
    }
    return Future.succeededFuture();
  }

  private Future<JsonObject> embedDocument(JsonObject body) {
    // the id only labels progress events (a bench embeds with -1: no resource)
    long resourceId = body.getLong("resource_id", -1L);
    String text = Fields.optionalString(body, "text", Integer.MAX_VALUE);
    String document = text == null ? "" : text;
    JsonArray blocks = body.getJsonArray("blocks", new JsonArray());
    // chunking a book and encoding its vectors take long enough to stall an event loop: both run on a worker
    boolean reuse = Boolean.TRUE.equals(Fields.optionalBoolean(body, "reuse_vectors")) && resourceId > 0;
    Chunker chunking = chunkerFor(body.getValue("chunk"));
    return vertx.executeBlocking(() -> chunking.split(document, Block.fromJson(blocks, document.length())), false)
        .recover(e -> Future.failedFuture(
            ErrorCode.INVALID_REQUEST.exception("cannot chunk document: " + e.getMessage(), "blocks")))
        .compose(chunks -> (reuse ? storedVectors(resourceId) : Future.succeededFuture(Map.<String, String>of()))
            .compose(stored -> embedChunks(resourceId, chunks, stored)));
  }

  /** The configured chunker, or one with a knowledge base's own {size_tokens, overlap_tokens}. */
  private Chunker chunkerFor(Object chunk) {
    if (chunk == null) {
      return chunker;
    }
    if (!(chunk instanceof JsonObject settings) || !(settings.getValue("size_tokens") instanceof Integer size)
        || !(settings.getValue("overlap_tokens", 0) instanceof Integer overlap) || size < 16 || overlap < 0) {
      throw ErrorCode.INVALID_REQUEST.exception("chunk must be {size_tokens >= 16, overlap_tokens >= 0}", "chunk");
    }
    return new Chunker(size, overlap);
  }

  /**
   * The vectors the resource's chunks have now, by chunk text (this embedder's model only): a conversation indexed
   * again after a turn keeps most of its chunks word for word, and embedding them again cost minutes of both cores.
   * Without them (a store that does not answer) everything is embedded.
   */
  private Future<Map<String, String>> storedVectors(long resourceId) {
    return Bus.request(vertx, Addresses.STORE_RESOURCE_VECTORS, new JsonObject().put("id", resourceId)
            .put("model", embedder.model()), STORED_VECTORS_TIMEOUT_MS)
        .map(reply -> {
          Map<String, String> byText = new HashMap<>();
          reply.getJsonArray("vectors").forEach(item -> {
            JsonObject stored = (JsonObject) item;
            byText.put(stored.getString("text"), stored.getString("vector"));
          });
          return byText;
        })
        .otherwise(e -> {
          LOG.warn("resource {}: its stored vectors could not be read, embedding every chunk: {}", resourceId, e.getMessage());
          return Map.of();
        });
  }

  private Future<JsonObject> embedChunks(long resourceId, List<Chunk> chunks, Map<String, String> stored) {
    List<Chunk> fresh = chunks.stream().filter(chunk -> !stored.containsKey(chunk.text())).toList();
    long[] lastReport = {0};
    vertx.eventBus().publish(Addresses.EVENTS_EMBED_PROGRESS,
        new JsonObject().put("resource_id", resourceId).put("done", 0).put("total", fresh.size()));
    return embedder.embedDocuments(fresh.stream().map(Chunk::text).toList(), (finished, total) -> {
      long now = System.currentTimeMillis();
      if (now - lastReport[0] >= PROGRESS_INTERVAL_MS || finished == total) {
        lastReport[0] = now;
        vertx.eventBus().publish(Addresses.EVENTS_EMBED_PROGRESS,
            new JsonObject().put("resource_id", resourceId).put("done", finished).put("total", total));
      }
    }).compose(vectors -> vertx.executeBlocking(() -> document(chunks, vectors, stored).toJson(), false))
        .onSuccess(document -> LOG.info("embedded resource {}: {} chunks with {} ({} vectors reused)", resourceId,
            chunks.size(), embedder.model(), chunks.size() - fresh.size()));
  }

  /** Every chunk with its vector: a reused one's as stored, a fresh one's next from {@code vectors} (same order). */
  private EmbeddedDocument document(List<Chunk> chunks, List<float[]> vectors, Map<String, String> stored) {
    java.util.Iterator<float[]> fresh = vectors.iterator();
    List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
    for (Chunk chunk : chunks) {
      String reused = stored.get(chunk.text());
      embedded.add(new EmbeddedChunk(chunk.index(), chunk.text(), chunk.page(), chunk.start(), chunk.end(),
          chunk.tokens(), reused != null ? reused : Vectors.toBase64(fresh.next())));
    }
    return new EmbeddedDocument(embedder.model(), embedder.dimension(), embedded);
  }

  private Future<JsonObject> embedQuery(JsonObject body) {
    String text = Fields.text(body, "text", Integer.MAX_VALUE, true);
    return embedder.embedQuery(text).map(vector -> new JsonObject()
        .put("model", embedder.model())
        .put("vector", Vectors.toBase64(vector)));
  }

  private JsonObject info() {
    return new JsonObject().put("model", embedder.model()).put("dimension", embedder.dimension())
        .put("language", embedder.language());
  }
}
