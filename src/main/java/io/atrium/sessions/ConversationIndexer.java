package io.atrium.sessions;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ChunksReplace;
import io.atrium.bus.EmbeddedDocument;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
  private final Map<String, Future<Void>> inFlight = new HashMap<>();
  private final Map<String, Boolean> again = new HashMap<>();

  ConversationIndexer(Vertx vertx) {
    this.vertx = vertx;
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
        .compose(resource -> readMessages(conversationId, 0, new ArrayList<>())
            .compose(messages -> {
              long resourceId = resource.getLong("resource_id");
              JsonObject document = document(messages);
              if (document.getString("text").isBlank()) {
                return Future.succeededFuture();
              }
              return Bus.request(vertx, Addresses.EMBED_DOCUMENT, document.put("resource_id", resourceId), EMBED_TIMEOUT_MS)
                  .map(EmbeddedDocument::fromJson)
                  .compose(embedded -> Bus.request(vertx, Addresses.STORE_CHUNKS_REPLACE,
                      // the hash the store gave the conversation's resource: indexed, it stays synced
                      new ChunksReplace(resourceId, "conversation", embedded.model(), embedded.chunks())
                          .toJson(), 60_000))
                  .mapEmpty();
            }));
  }

  private Future<List<JsonObject>> readMessages(String conversationId, long afterId, List<JsonObject> into) {
    return Bus.request(vertx, Addresses.STORE_MESSAGES_LIST, new JsonObject().put("conversation_id", conversationId)
            .put("after_id", afterId).put("limit", PAGE), STORE_TIMEOUT_MS)
        .compose(page -> {
          JsonArray messages = page.getJsonArray("messages");
          messages.forEach(m -> into.add((JsonObject) m));
          return messages.size() < PAGE ? Future.succeededFuture(into)
              : readMessages(conversationId, messages.getJsonObject(messages.size() - 1).getLong("id"), into);
        });
  }

  /** {text, blocks: [[start, end, message id as the page, not a heading]]}: the newest messages' text within {@link #MAX_CHARS}. */
  static JsonObject document(List<JsonObject> messages) {
    List<String> texts = new ArrayList<>();
    List<JsonObject> kept = new ArrayList<>();
    int size = 0;
    for (int i = messages.size() - 1; i >= 0 && size < MAX_CHARS; i--) {
      JsonObject message = messages.get(i);
      if ("queue-operation".equals(message.getString("message_type"))) {
        continue; // the CLI's queue bookkeeping repeats the user's prompt word for word
      }
      JsonObject content = message.getJsonObject("content");
      // OpenCode's exported messages are {info, parts}; Claude Code's transcript lines hold a message
      String text = (content.containsKey("parts") && content.containsKey("info") ? OpenCode.searchableText(content)
          : TranscriptReader.searchableText(new SyncedMessage(message.getString("uuid"), message.getString("message_type"),
              content, message.getString("timestamp")))).strip();
      if (text.isEmpty()) {
        continue;
      }
      String labelled = message.getString("message_type") + ": " + text;
      texts.add(0, labelled);
      kept.add(0, message);
      size += labelled.length() + 2;
    }
    StringBuilder text = new StringBuilder();
    JsonArray blocks = new JsonArray();
    for (int i = 0; i < texts.size(); i++) {
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      int start = text.length();
      text.append(texts.get(i));
      blocks.add(new JsonArray().add(start).add(text.length()).add(kept.get(i).getLong("id")).add(false));
    }
    return new JsonObject().put("text", text.toString()).put("blocks", blocks).put("content_type", "application/x-conversation");
  }
}
