package io.atrium.sessions;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ChunksReplace;
import io.atrium.bus.EmbeddedDocument;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a synced conversation searchable like a document: its messages' text (what was said, tool calls and their
 * results) becomes one text whose blocks are the messages, chunked and embedded by the embed verticle and stored as
 * the chunks of the conversation's resource. A chunk's page is the id of the message it starts in, which search
 * turns back into the message's uuid. One indexing per conversation at a time; syncs that land meanwhile are
 * folded into one more pass.
 */
final class ConversationIndexer {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationIndexer.class);
  private static final long STORE_TIMEOUT_MS = 30_000;
  private static final long EMBED_TIMEOUT_MS = 30 * 60_000;
  private static final int PAGE = 1000;
  /** The newest messages up to this much text are indexed (a book-sized transcript would embed for many minutes). */
  static final int MAX_CHARS = 2_000_000;

  private final Vertx vertx;
  private final Path conversationsDir;
  private final Map<String, Future<Void>> inFlight = new HashMap<>();
  private final Map<String, Boolean> again = new HashMap<>();

  ConversationIndexer(Vertx vertx, Path conversationsDir) {
    this.vertx = vertx;
    this.conversationsDir = conversationsDir;
  }

  /** Indexes the conversation's messages now, or once more after the indexing in flight. */
  Future<Void> index(String conversationId) {
    Future<Void> running = inFlight.get(conversationId);
    if (running != null) {
      again.put(conversationId, true);
      return running;
    }
    Future<Void> pass = indexNow(conversationId)
        .onFailure(e -> LOG.warn("conversation {} not indexed for search: {}", conversationId, e.getMessage()));
    inFlight.put(conversationId, pass);
    return pass.transform(done -> {
      inFlight.remove(conversationId);
      return again.remove(conversationId) != null ? index(conversationId) : Future.<Void>succeededFuture();
    });
  }

  private Future<Void> indexNow(String conversationId) {
    return Bus.request(vertx, Addresses.STORE_CONVERSATION_RESOURCE, new JsonObject().put("conversation_id", conversationId),
            STORE_TIMEOUT_MS)
        .compose(resource -> newestTexts(conversationId, Long.MAX_VALUE, new ArrayList<>(), 0)
            .compose(texts -> {
              long resourceId = resource.getLong("resource_id");
              JsonObject document = document(texts);
              if (document.getString("text").isBlank()) {
                return Future.succeededFuture();
              }
              return Bus.request(vertx, Addresses.EMBED_DOCUMENT, document.put("resource_id", resourceId)
                  // after a turn most chunks are the same words as before: their vectors are kept, not computed again
                  .put("reuse_vectors", true), EMBED_TIMEOUT_MS)
                  .map(EmbeddedDocument::fromJson)
                  .compose(embedded -> Bus.request(vertx, Addresses.STORE_CHUNKS_REPLACE,
                      // the hash the store gave the conversation's resource: indexed, it stays synced
                      new ChunksReplace(resourceId, "conversation", embedded.model(), embedded.chunks())
                          .toJson(), 60_000))
                  .mapEmpty();
            }));
  }

  /** A message's labelled text and its id, which becomes the page of the chunks that start in it. */
  record MessageText(long id, String text) {
  }

  /**
   * The texts of the newest messages, newest first, read page by page from the end until {@link #MAX_CHARS}: a long
   * conversation's older history is never loaded.
   */
  private Future<List<MessageText>> newestTexts(String conversationId, long beforeId, List<MessageText> into, int size) {
    return Bus.request(vertx, Addresses.STORE_MESSAGES_LIST, new JsonObject().put("conversation_id", conversationId)
            .put("before_id", beforeId).put("limit", PAGE), STORE_TIMEOUT_MS)
        .compose(page -> {
          JsonArray messages = page.getJsonArray("messages");
          if (messages.isEmpty()) {
            return Future.succeededFuture(into);
          }
          Path log = ConversationFiles.messages(conversationsDir, messages.getJsonObject(0).getString("worker_id"),
              conversationId);
          return vertx.executeBlocking(() -> MessageLog.fill(log, messages), false).compose(filled -> {
            int total = size;
            for (Object item : filled) {
              JsonObject message = (JsonObject) item;
              String text = text(message);
              if (!text.isEmpty()) {
                into.add(new MessageText(message.getLong("id"), text));
                total += text.length() + 2;
                if (total >= MAX_CHARS) {
                  return Future.succeededFuture(into);
                }
              }
            }
            return messages.size() < PAGE ? Future.succeededFuture(into) : newestTexts(conversationId,
                messages.getJsonObject(messages.size() - 1).getLong("id"), into, total);
          });
        });
  }

  /** What a stored message says, labelled with its type; empty for one with nothing to search in. */
  static String text(JsonObject message) {
    JsonObject content = message.getJsonObject("content");
    if (content == null || "queue-operation".equals(message.getString("message_type"))) {
      return ""; // the CLI's queue bookkeeping repeats the user's prompt word for word
    }
    // OpenCode's exported messages are {info, parts}; Claude Code's transcript lines hold a message
    String text = (content.containsKey("parts") && content.containsKey("info") ? OpenCode.searchableText(content)
        : TranscriptReader.searchableText(message.getString("message_type"), content)).strip();
    return text.isEmpty() ? "" : message.getString("message_type") + ": " + text;
  }

  /**
   * {text, blocks: [[start, end, message id as the page, not a heading]]}: the messages' texts (given newest first)
   * oldest first.
   */
  static JsonObject document(List<MessageText> newestFirst) {
    StringBuilder text = new StringBuilder();
    JsonArray blocks = new JsonArray();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      MessageText message = newestFirst.get(i);
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      int start = text.length();
      text.append(message.text());
      blocks.add(new JsonArray().add(start).add(text.length()).add(message.id()).add(false));
    }
    return new JsonObject().put("text", text.toString()).put("blocks", blocks).put("content_type", "application/x-conversation");
  }
}
