package io.atrium.chat;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ChatExchange;
import io.atrium.bus.Failure;
import io.atrium.bus.SearchHit;
import io.atrium.bus.Fields;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat request from question to answer: the session's stored turns, retrieved context (hybrid search on the
 * last user message, packed within the token budget), the provider call (whole or streamed), the exchange stored
 * in the session, and one retrieval_logs row whatever the outcome. Stream deltas are sent to the requester's
 * {@code stream_to} address, when it gave one, and published on {@link Addresses#EVENTS_CHAT}.
 */
final class ChatFlow {
  private static final Logger LOG = LoggerFactory.getLogger(ChatFlow.class);
  private static final long STORE_TIMEOUT_MS = 10_000;
  private static final long SEARCH_TIMEOUT_MS = 15_000;
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final Vertx vertx;
  private final ChatSettings settings;
  private final LlmClient client;
  private final Map<String, Exchange> streaming = new HashMap<>();
  private final RetrievalLogWriter logs;

  ChatFlow(Vertx vertx, ChatSettings settings, LlmClient client) {
    this.vertx = vertx;
    this.settings = settings;
    this.client = client;
    this.logs = new RetrievalLogWriter(vertx, STORE_TIMEOUT_MS);
  }

  /** Completes once the retrieval_logs rows of the requests that ended so far are written. */
  Future<Void> drainLogs() {
    return logs.drain();
  }

  /**
   * The answer {content, usage, citations, session_id?}; for a request with {@code stream_to}, the acceptance
   * {request_id, session_id?, citations} once the provider started answering (the rest goes to stream_to).
   */
  Future<JsonObject> complete(JsonObject body) {
    ChatRequest request = ChatRequest.fromJson(body);
    Endpoint endpoint = settings.resolve(request.provider(), request.baseUrl(), request.apiKey());
    Exchange exchange = new Exchange(request, requestId(body), body.getString("stream_to"));
    return prepare(exchange, endpoint)
        .compose(llm -> request.stream() ? stream(exchange, llm) : client.complete(llm).compose(reply -> finish(exchange, reply)))
        .onFailure(e -> log(exchange, null, e));
  }

  /** Stops a stream whose client went away. */
  JsonObject cancel(JsonObject body) {
    String requestId = Fields.optionalString(body, "request_id", 200);
    Exchange exchange = requestId == null ? null : streaming.get(requestId);
    if (exchange != null) {
      exchange.cancelled = true;
      exchange.stream.cancel();
    }
    return new JsonObject().put("cancelled", exchange != null);
  }

  Future<JsonObject> newSession(JsonObject body) {
    JsonObject create = new JsonObject().put("title", Fields.text(body, "title", 500, true));
    for (String field : List.of("task_id", "resource_id")) {
      create.put(field, Fields.optionalPositiveLong(body, field));
    }
    return Bus.request(vertx, Addresses.STORE_CHAT_SESSION_CREATE, create, STORE_TIMEOUT_MS);
  }

  Future<JsonObject> history(JsonObject body) {
    long id = Fields.positiveLong(body, "session_id");
    return Bus.request(vertx, Addresses.STORE_CHAT_SESSION_GET, new JsonObject().put("session_id", id), STORE_TIMEOUT_MS);
  }

  private Future<LlmRequest> prepare(Exchange exchange, Endpoint endpoint) {
    ChatRequest request = exchange.request;
    Future<JsonObject> session = request.sessionId() == null ? Future.succeededFuture()
        : Bus.request(vertx, Addresses.STORE_CHAT_SESSION_GET, new JsonObject().put("session_id", request.sessionId()),
            STORE_TIMEOUT_MS);
    return session.compose(stored -> {
      exchange.session = stored;
      return retrieve(exchange);
    }).map(context -> {
      exchange.context = context;
      return llmRequest(exchange, endpoint);
    });
  }

  /** Context from the request's resources, else the session's resource or task, else everything if asked. */
  private Future<ContextPacker.Context> retrieve(Exchange exchange) {
    ChatRequest request = exchange.request;
    JsonObject session = exchange.session;
    boolean allowed = !Boolean.FALSE.equals(request.retrieve());
    JsonObject filters;
    if (request.contextResourceIds() != null) {
      filters = new JsonObject().put("resource_ids", new JsonArray(new ArrayList<>(request.contextResourceIds())));
    } else if (allowed && session != null && session.getLong("resource_id") != null) {
      filters = new JsonObject().put("resource_ids", new JsonArray().add(session.getLong("resource_id")));
    } else if (allowed && session != null && session.getLong("task_id") != null) {
      filters = new JsonObject().put("task_id", session.getLong("task_id"));
    } else if (Boolean.TRUE.equals(request.retrieve()) || allowed && request.knowledgeBaseId() != null) {
      filters = new JsonObject();
    } else {
      return Future.succeededFuture(ContextPacker.Context.NONE);
    }
    if (request.contextResourceIds() != null && request.contextResourceIds().isEmpty() || request.question().isBlank()) {
      return Future.succeededFuture(ContextPacker.Context.NONE);
    }
    if (request.knowledgeBaseId() != null) {
      filters.put("knowledge_base_id", request.knowledgeBaseId()); // the context stays inside the base, whatever else
    }
    JsonObject search = new JsonObject().put("query", request.question()).put("top_k", settings.contextTopK())
        .put("filters", filters);
    return Bus.request(vertx, Addresses.SEARCH_HYBRID, search, SEARCH_TIMEOUT_MS)
        .map(found -> ContextPacker.pack(SearchHit.listFrom(found), settings.contextTokenBudget()))
        .recover(e -> {
          // a question with no searchable words, or search being down, leaves the answer without context
          LOG.warn("chat request {}: no context retrieved: {}", exchange.requestId, e.getMessage());
          return Future.succeededFuture(ContextPacker.Context.NONE);
        });
  }

  private static LlmRequest llmRequest(Exchange exchange, Endpoint endpoint) {
    ChatRequest request = exchange.request;
    List<String> system = new ArrayList<>();
    if (exchange.context.systemText() != null) {
      system.add(exchange.context.systemText());
    }
    List<ChatMessage> turns = new ArrayList<>();
    if (exchange.session != null) {
      for (Object stored : exchange.session.getJsonArray("messages", new JsonArray())) {
        JsonObject message = (JsonObject) stored;
        turns.add(new ChatMessage(message.getString("role"), message.getString("content")));
      }
    }
    for (ChatMessage message : request.messages()) {
      if (ChatMessage.SYSTEM.equals(message.role())) {
        system.add(message.content());
      } else {
        turns.add(message);
      }
    }
    return new LlmRequest(endpoint, request.model(), system.isEmpty() ? null : String.join("\n\n", system), turns,
        false, request.maxTokens(), request.temperature());
  }

  private Future<JsonObject> stream(Exchange exchange, LlmRequest llm) {
    exchange.stream = client.stream(llm, delta -> delta(exchange, delta));
    streaming.put(exchange.requestId, exchange);
    Future<JsonObject> done = exchange.stream.result().compose(reply -> finish(exchange, reply));
    done.onComplete(result -> {
      streaming.remove(exchange.requestId);
      if (exchange.stream.started().succeeded()) {
        end(exchange, result);
        if (result.failed() && exchange.streamTo != null) {
          log(exchange, null, result.cause());
        }
      }
    });
    if (exchange.streamTo == null) {
      return done;
    }
    return exchange.stream.started().map(v -> withSession(exchange, new JsonObject()
        .put("request_id", exchange.requestId).put("citations", exchange.context.citations())));
  }

  private void delta(Exchange exchange, String delta) {
    if (exchange.firstTokenNanos == 0) {
      exchange.firstTokenNanos = System.nanoTime();
    }
    JsonObject event = withSession(exchange, new JsonObject().put("request_id", exchange.requestId)
        .put("delta", delta).put("index", exchange.deltas++));
    if (exchange.streamTo != null) {
      vertx.eventBus().send(exchange.streamTo, event.copy().put("type", "delta"));
    }
    vertx.eventBus().publish(Addresses.EVENTS_CHAT, event);
  }

  private void end(Exchange exchange, AsyncResult<JsonObject> result) {
    JsonObject event = withSession(exchange, new JsonObject().put("request_id", exchange.requestId));
    if (result.succeeded()) {
      event.put("done", true).put("usage", result.result().getJsonObject("usage"))
          .put("citations", exchange.context.citations());
    } else {
      event.put("error", errorJson(result.cause()));
    }
    if (exchange.streamTo != null) {
      JsonObject last = result.succeeded() ? result.result().copy().put("type", "done").put("request_id", exchange.requestId)
          : event.copy().put("type", "error");
      vertx.eventBus().send(exchange.streamTo, last);
    }
    vertx.eventBus().publish(Addresses.EVENTS_CHAT, event);
  }

  /** The answer; the exchange is stored in its session before anyone can read the answer and ask again. */
  private Future<JsonObject> finish(Exchange exchange, LlmReply reply) {
    JsonObject answer = withSession(exchange, new JsonObject().put("content", reply.content())
        .put("usage", reply.usage().toJson()).put("citations", exchange.context.citations()));
    Future<?> stored = Future.succeededFuture();
    if (exchange.session != null) {
      List<ChatExchange.Message> messages = new ArrayList<>();
      exchange.request.messages().stream().filter(m -> !ChatMessage.SYSTEM.equals(m.role()))
          .forEach(m -> messages.add(ChatExchange.Message.of(m.role(), m.content())));
      messages.add(new ChatExchange.Message(ChatMessage.ASSISTANT, reply.content(),
          exchange.request.provider().wireName(), exchange.request.model(), (long) reply.usage().promptTokens(),
          (long) reply.usage().completionTokens(), exchange.context.citations()));
      stored = Bus.request(vertx, Addresses.STORE_CHAT_MESSAGES_APPEND,
          new ChatExchange(exchange.request.sessionId(), messages).toJson(), STORE_TIMEOUT_MS);
    }
    return stored.map(v -> {
      log(exchange, reply, null);
      return answer;
    });
  }

  /** One retrieval_logs row; never the key. Written after the answer (in batches), so a slow write never delays it. */
  private void log(Exchange exchange, LlmReply reply, Throwable failure) {
    long now = System.nanoTime();
    JsonObject entry = new JsonObject()
        .put("request_id", exchange.requestId)
        .put("session_id", exchange.request.sessionId())
        .put("question", exchange.request.question())
        .put("retrieved_chunk_ids", new JsonArray(new ArrayList<>(exchange.context.chunkIds())))
        .put("provider", exchange.request.provider().wireName())
        .put("model", exchange.request.model())
        .put("streamed", exchange.request.stream())
        .put("latency_ms", (now - exchange.startNanos) / 1_000_000);
    if (exchange.firstTokenNanos != 0) {
      entry.put("first_token_ms", (exchange.firstTokenNanos - exchange.startNanos) / 1_000_000);
    }
    if (reply != null) {
      entry.put("outcome", "ok").put("prompt_tokens", reply.usage().promptTokens())
          .put("completion_tokens", reply.usage().completionTokens());
    } else {
      JsonObject error = errorJson(failure);
      entry.put("outcome", exchange.cancelled ? "cancelled" : "error").put("error_code", error.getString("code"))
          .put("error", error.getString("message"));
    }
    logs.write(entry);
  }

  /** The failure body {code, message, …} of any failure, as the caller sees it. */
  static JsonObject errorJson(Throwable failure) {
    return Failure.of(failure).toJson();
  }

  private static JsonObject withSession(Exchange exchange, JsonObject json) {
    if (exchange.request.sessionId() != null) {
      json.put("session_id", exchange.request.sessionId());
    }
    return json;
  }

  private static String requestId(JsonObject body) {
    String id = body.getString("request_id");
    return id != null && REQUEST_ID.matcher(id).matches() ? id : UUID.randomUUID().toString();
  }

  /** The state of one request as it goes. */
  private static final class Exchange {
    final ChatRequest request;
    final String requestId;
    final String streamTo;
    final long startNanos = System.nanoTime();
    JsonObject session;
    ContextPacker.Context context = ContextPacker.Context.NONE;
    LlmStream stream;
    long firstTokenNanos;
    int deltas;
    boolean cancelled;

    Exchange(ChatRequest request, String requestId, String streamTo) {
      this.request = request;
      this.requestId = requestId;
      this.streamTo = streamTo;
    }
  }
}
