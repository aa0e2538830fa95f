package io.atrium.webhooks;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.config.ConfigSection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task callbacks (issue 15): when a task with a {@code callback_url} ends — and, with {@code callback_events: ["item"]},
 * when each of its items ends — a delivery is written to the log and POSTed, signed per the Standard Webhooks scheme.
 * A failed attempt (no 2xx, a refused or hung connection cut at {@code webhooks.timeout_ms}) is tried again with
 * exponential backoff and jitter until {@code webhooks.retry_for_s} has passed since the delivery was made; every
 * attempt is in the log. Pending deliveries are taken up again at start. Nothing here waits on the pipeline or holds
 * it up: deliveries follow {@code atrium.events.task}.
 */
public final class WebhookVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookVerticle.class);
  private static final Set<String> ENDED = Set.of("succeeded", "failed", "partial", "cancelled");
  private static final long STORE_TIMEOUT_MS = 30_000;
  /** The most of a receiver's answer kept in the log. */
  private static final int MAX_ERROR_CHARS = 300;

  private WebhookSigner signer;
  private long timeoutMs;
  private long retryForMs;
  private long retryBaseMs;
  private long retryMaxMs;
  private boolean allowPrivate;
  private WebClient client;
  /** Each task's callback {url, events}, read once while it runs; JSON null: it has none. */
  private final Map<Long, Future<JsonObject>> callbacks = new HashMap<>();

  @Override
  public Future<?> start() {
    ConfigSection settings = ConfigSection.of(config(), "webhooks");
    String secret = settings.string("secret");
    if (!secret.isEmpty() && secret.length() < WebhookSigner.MIN_SECRET_CHARS) {
      throw new IllegalArgumentException("webhooks.secret must have at least " + WebhookSigner.MIN_SECRET_CHARS
          + " characters (or be whsec_<base64>)");
    }
    signer = secret.isEmpty() ? null : new WebhookSigner(secret);
    timeoutMs = settings.longInteger("timeout_ms");
    retryForMs = settings.longInteger("retry_for_s") * 1000;
    retryBaseMs = Math.max(1, settings.longInteger("retry_base_ms"));
    retryMaxMs = Math.max(retryBaseMs, settings.longInteger("retry_max_ms"));
    allowPrivate = settings.bool("allow_private");
    // no redirects: a receiver's 3xx must not send atrium's POST somewhere the address check never saw
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) Math.min(timeoutMs, Integer.MAX_VALUE))
        .setFollowRedirects(false).setUserAgent("atrium-webhooks"));
    return Future.all(
            vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_TASK, m -> taskEvent(m.body())).completion(),
            Bus.serve(vertx, Addresses.WEBHOOKS_CHECK, this::check),
            Bus.serve(vertx, Addresses.WEBHOOKS_DELIVERIES, this::deliveries))
        .compose(v -> Bus.request(vertx, Addresses.STORE_WEBHOOK_PENDING, new JsonObject(), STORE_TIMEOUT_MS))
        .onSuccess(pending -> {
          JsonArray deliveries = pending.getJsonArray("deliveries");
          deliveries.forEach(d -> resume((JsonObject) d));
          if (!deliveries.isEmpty()) {
            LOG.info("{} webhook deliveries pending from the last run are taken up again", deliveries.size());
          }
        });
  }

  @Override
  public Future<?> stop() {
    client.close();
    return Future.succeededFuture();
  }

  /** {task_id} → the task's delivery log; 404 for a task that does not exist. */
  private Future<JsonObject> deliveries(JsonObject body) {
    long task = Fields.positiveLong(body, "task_id");
    return Bus.request(vertx, Addresses.STORE_TASK_GET, new JsonObject().put("id", task), STORE_TIMEOUT_MS)
        .compose(exists -> Bus.request(vertx, Addresses.STORE_WEBHOOK_LIST, new JsonObject().put("task_id", task),
            STORE_TIMEOUT_MS));
  }

  /** {url, events?} → {url, events}: whether a task may be given this callback (checked before the task is made). */
  private Future<JsonObject> check(JsonObject body) {
    String url = Fields.optionalHttpUrl(body, "url");
    if (url == null) {
      throw ErrorCode.INVALID_REQUEST.exception("callback_url must be an http or https URL", "callback_url");
    }
    if (signer == null) {
      throw ErrorCode.INVALID_REQUEST.exception("callbacks need webhooks.secret (ATRIUM_WEBHOOKS_SECRET) to sign "
          + "them; it is not set", "callback_url");
    }
    String refusal = allowPrivate ? null : CallbackAddresses.literalRefusal(url);
    if (refusal != null) {
      throw ErrorCode.INVALID_REQUEST.exception(refusal, "callback_url");
    }
    JsonArray events = new JsonArray();
    Object asked = body.getValue("events");
    if (asked != null) {
      if (!(asked instanceof JsonArray list) || list.stream().anyMatch(e -> !"item".equals(e) && !"task".equals(e))) {
        throw ErrorCode.INVALID_REQUEST.exception("callback_events may name item and task", "callback_events");
      }
      list.forEach(e -> {
        if (!events.contains(e)) {
          events.add(e);
        }
      });
    }
    return Future.succeededFuture(new JsonObject().put("url", url).put("events", events));
  }

  private void taskEvent(JsonObject event) {
    long task = event.getLong("task_id");
    JsonObject item = event.getJsonObject("item");
    boolean ended = item == null && ENDED.contains(event.getString("status"));
    if (item == null && !ended) {
      return;
    }
    if (ended) {
      // the ended task as clients read it is the payload, and names its callback: one read
      callbacks.remove(task); // a retry reopens it: read again then
      Bus.request(vertx, Addresses.TASKS_GET, new JsonObject().put("id", task), STORE_TIMEOUT_MS)
          .onSuccess(state -> {
            if (state.getString("callback_url") != null) {
              deliver(task, "task.ended", state.getString("callback_url"), state);
            }
          })
          .onFailure(e -> LOG.error("task {}: its callback could not be made: {}", task, e.getMessage()));
      return;
    }
    callbacks.computeIfAbsent(task, id -> Bus.request(vertx, Addresses.STORE_TASK_GET,
            new JsonObject().put("id", id), STORE_TIMEOUT_MS)
        .map(t -> t.getString("callback_url") == null ? new JsonObject()
            : new JsonObject().put("url", t.getString("callback_url"))
                .put("events", t.getJsonArray("callback_events", new JsonArray()))))
        .onSuccess(found -> {
          String url = found.getString("url");
          if (url != null && found.getJsonArray("events").contains("item")) {
            deliver(task, "task.item", url, new JsonObject().put("task_id", task).put("kind", event.getString("kind"))
                .put("status", event.getString("status")).put("progress", event.getInteger("progress")).put("item", item));
          }
        })
        .onFailure(e -> LOG.error("task {}: its callback could not be read: {}", task, e.getMessage()));
  }

  /** Writes the delivery to the log, then makes its first attempt. */
  private void deliver(long task, String type, String url, JsonObject data) {
    long now = System.currentTimeMillis();
    String webhookId = "msg_" + UUID.randomUUID().toString().replace("-", "");
    String payload = new JsonObject().put("type", type).put("timestamp", java.time.Instant.ofEpochMilli(now).toString())
        .put("data", data).encode();
    Bus.request(vertx, Addresses.STORE_WEBHOOK_CREATE, new JsonObject().put("task_id", task).put("webhook_id", webhookId)
            .put("event", type).put("url", url).put("payload", payload).put("created_ms", now), STORE_TIMEOUT_MS)
        .onSuccess(created -> attempt(new Delivery(created.getLong("id"), webhookId, url, payload, now), 1))
        .onFailure(e -> LOG.error("task {}: its {} webhook could not be logged: {}", task, type, e.getMessage()));
  }

  private record Delivery(long id, String webhookId, String url, String payload, long createdMs) {
  }

  private void resume(JsonObject pending) {
    Delivery delivery = new Delivery(pending.getLong("id"), pending.getString("webhook_id"), pending.getString("url"),
        pending.getString("payload"), pending.getLong("created_ms"));
    int next = pending.getJsonArray("attempts").size() + 1;
    long due = pending.getLong("next_attempt_ms", System.currentTimeMillis());
    vertx.setTimer(Math.max(1, due - System.currentTimeMillis()), t -> attempt(delivery, next));
  }

  private void attempt(Delivery delivery, int attempt) {
    long started = System.nanoTime();
    // the name is looked up off the event loop; its addresses are checked on every attempt (they can change)
    Future<String> refusal = allowPrivate ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> CallbackAddresses.resolvedRefusal(delivery.url()), false)
            .recover(e -> Future.succeededFuture((String) null)); // an unknown name fails at the POST itself
    refusal.compose(refused -> {
      if (refused != null) {
        return Future.succeededFuture(new Outcome(null, refused, false));
      }
      long timestamp = System.currentTimeMillis() / 1000;
      return client.postAbs(delivery.url())
          .timeout(timeoutMs)
          .putHeader("content-type", "application/json")
          .putHeader("webhook-id", delivery.webhookId())
          .putHeader("webhook-timestamp", Long.toString(timestamp))
          .putHeader("webhook-signature", signer.sign(delivery.webhookId(), timestamp, delivery.payload()))
          .sendBuffer(Buffer.buffer(delivery.payload()))
          .map(WebhookVerticle::outcome)
          .otherwise(e -> new Outcome(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), true));
    }).onSuccess(outcome -> recorded(delivery, attempt, outcome, (System.nanoTime() - started) / 1_000_000));
  }

  /** An attempt's result: the receiver's status (null: no answer), why it failed, and whether trying again may help. */
  private record Outcome(Integer status, String error, boolean retryable) {
    boolean delivered() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private static Outcome outcome(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Outcome(status, null, false);
    }
    String body = response.bodyAsString();
    String error = "the receiver answered " + status + (body == null || body.isBlank() ? ""
        : ": " + body.substring(0, Math.min(MAX_ERROR_CHARS, body.length())));
    return new Outcome(status, error, true);
  }

  private void recorded(Delivery delivery, int attempt, Outcome outcome, long latencyMs) {
    long now = System.currentTimeMillis();
    Long next = null;
    String status;
    if (outcome.delivered()) {
      status = "delivered";
    } else if (outcome.retryable() && now - delivery.createdMs() < retryForMs) {
      long cap = Math.min(retryMaxMs, retryBaseMs << Math.min(30, attempt - 1));
      // "equal jitter": half the backoff for sure, the other half at random, so a receiver that came back is not
      // hit by every delivery that failed at once
      long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
      next = now + delay;
      status = "pending";
    } else {
      status = "failed";
    }
    JsonObject record = new JsonObject().put("id", delivery.id()).put("attempt", attempt)
        .put("http_status", outcome.status()).put("latency_ms", latencyMs).put("error", outcome.error())
        .put("status", status).put("next_attempt_ms", next);
    Long due = next;
    Bus.request(vertx, Addresses.STORE_WEBHOOK_ATTEMPT, record, STORE_TIMEOUT_MS)
        .onFailure(e -> LOG.error("webhook {}: attempt {} could not be logged: {}", delivery.webhookId(), attempt, e.getMessage()))
        .onComplete(v -> {
          if (due != null) {
            vertx.setTimer(Math.max(1, due - System.currentTimeMillis()), t -> attempt(delivery, attempt + 1));
          } else if ("failed".equals(status)) {
            LOG.warn("webhook {} to {} given up after {} attempts: {}", delivery.webhookId(), delivery.url(), attempt,
                outcome.error());
          }
        });
  }
}
