package io.atrium.sessions;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * messages/sync: reads a conversation's transcript, which the CLI keeps, from the byte offset where the last sync
 * stopped, and stores its messages in batches (known uuids skipped). Each batch and the offset after it commit
 * together, so a sync cut short resumes exactly there. One sync per conversation at a time: a second request waits
 * for the first and then reads only what is new.
 */
final class TranscriptSync {
  private static final int BATCH = 500;
  private static final long STORE_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final Path claudeHome;
  private final ConversationIndexer indexer;
  private final Map<String, Future<JsonObject>> inFlight = new HashMap<>();

  TranscriptSync(Vertx vertx, Path claudeHome, ConversationIndexer indexer) {
    this.vertx = vertx;
    this.claudeHome = claudeHome;
    this.indexer = indexer;
  }

  /**
   * {@code conversation} is the stored row, {@code env} its worker's environment (empty when the worker is gone).
   * Answers {added, total, synced, file?, reason?}.
   */
  Future<JsonObject> sync(JsonObject conversation, CodingCli cli, Map<String, String> env) {
    String id = conversation.getString("id");
    Future<JsonObject> previous = inFlight.getOrDefault(id, Future.succeededFuture());
    Future<JsonObject> next = previous.transform(ignored -> Bus.request(vertx, Addresses.STORE_CONVERSATION_GET,
            new JsonObject().put("id", id), STORE_TIMEOUT_MS))
        .compose(fresh -> read(fresh, cli, env));
    inFlight.put(id, next);
    next.onComplete(done -> inFlight.remove(id, next));
    // new messages are made searchable behind the answer: embedding them may take a while
    return next.onSuccess(result -> {
      if (result.getInteger("added", 0) > 0) {
        indexer.index(id);
      }
    });
  }

  private Future<JsonObject> read(JsonObject conversation, CodingCli cli, Map<String, String> env) {
    String id = conversation.getString("id");
    String rawId = conversation.getString("raw_conversation_id");
    if (rawId == null) {
      return total(id).map(total -> total.put("synced", false).put("reason", "the CLI has not started a session yet"));
    }
    Path file = cli.transcript(env, claudeHome, Path.of(conversation.getString("project_path")), rawId);
    if (file == null) {
      return total(id).map(total -> total.put("synced", false).put("reason", cli.type() + " keeps no transcript file"));
    }
    JsonObject sync = conversation.getJsonObject("metadata", new JsonObject()).getJsonObject("sync", new JsonObject());
    long from = file.toString().equals(sync.getString("file")) ? sync.getLong("offset", 0L) : 0L;
    int[] added = {0};
    return offContext(() -> {
      if (!Files.exists(file)) {
        return null;
      }
      return TranscriptReader.read(file, from, BATCH, (batch, offsetAfter) -> {
        JsonArray messages = new JsonArray();
        batch.forEach(m -> messages.add(new JsonObject().put("uuid", m.uuid()).put("message_type", m.type())
            .put("content", m.content()).put("timestamp", m.timestamp())));
        JsonObject stored = Bus.request(vertx, Addresses.STORE_MESSAGES_APPEND, new JsonObject()
            .put("conversation_id", id).put("messages", messages)
            .put("sync", new JsonObject().put("file", file.toString()).put("offset", offsetAfter)), STORE_TIMEOUT_MS).await();
        added[0] += stored.getInteger("added");
      });
    }).compose(read -> total(id).map(total -> {
      total.put("added", added[0]).put("synced", read != null).put("file", file.toString());
      return read == null ? total.put("reason", "the CLI's transcript " + file + " does not exist (yet)") : total;
    }));
  }

  private Future<JsonObject> total(String id) {
    return Bus.request(vertx, Addresses.STORE_MESSAGES_LIST, new JsonObject().put("conversation_id", id).put("limit", 0),
        STORE_TIMEOUT_MS).map(list -> new JsonObject().put("added", 0).put("total", list.getLong("total")));
  }

  /**
   * Runs blocking work on a virtual thread of its own (not a Vert.x thread, so it may wait on store replies
   * batch by batch) and completes on the caller's context.
   */
  private <T> Future<T> offContext(Callable<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    Thread.ofVirtual().name("atrium-sessions-sync").start(() -> {
      try {
        T value = work.call();
        context.runOnContext(v -> promise.complete(value));
      } catch (Throwable e) {
        context.runOnContext(v -> promise.fail(e));
      }
    });
    return promise.future();
  }
}
