package io.atrium.e2e;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a test waits on instead of a clock. A log subscribes when it is opened (to an event-bus address, a WebSocket,
 * the answers of a bus consumer) and keeps every event from then on, so a test opens it BEFORE the action that
 * causes the event. {@link #await} looks at what already arrived, then waits for what comes next; {@link #awaitState}
 * reads a state and reads it again at each event (events are the wake-ups, the state is the truth), so a change that
 * happened before the log was opened is seen by the first read. Both fail with what they saw when the wanted event
 * or state does not come within the bound.
 *
 * <p>Where a state announces itself by no event (a child process's /health, a breaker's reset timer, Lucene's
 * periodic commit), {@link #ticks} is a log of clock ticks and {@code awaitState} over it the bounded poll: the
 * only one the tests have.
 */
public final class EventLog implements AutoCloseable {
  /** How many of the last events a failure shows. */
  private static final int SHOWN = 30;

  private final String source;
  private final boolean showEvents;
  private final List<JsonObject> events = new ArrayList<>(); // guarded by this
  private Runnable unsubscribe = () -> { };
  private WebSocket socket;

  private EventLog(String source, boolean showEvents) {
    this.source = source;
    this.showEvents = showEvents;
  }

  /** Every message published or sent on {@code address} from now on (the consumer is registered when this returns). */
  public static EventLog onBus(Vertx vertx, String address) {
    EventLog log = new EventLog(address, true);
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, message -> log.add(json(message.body())));
    consumer.completion().await();
    log.unsubscribe = () -> consumer.unregister().await();
    return log;
  }

  /**
   * Every text or binary frame (as JSON) of a WebSocket opened now. The handlers are set on the event loop as the
   * socket opens, so no frame that follows the handshake is missed.
   */
  public static EventLog onWebSocket(Vertx vertx, int port, String uri) {
    EventLog log = new EventLog("ws " + uri, true);
    // held by the log: a client nothing refers to is closed by Vert.x's cleaner, and its sockets with it
    WebSocketClient client = vertx.createWebSocketClient();
    log.socket = client.connect(AtriumHarness.authorized(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)))
        .map(socket -> socket
            .textMessageHandler(text -> log.add(new JsonObject(text)))
            .binaryMessageHandler(bytes -> log.add(bytes.toJsonObject())))
        .await();
    log.unsubscribe = () -> client.close().await();
    return log;
  }

  /**
   * The answers the consumer of {@code address} gives from now on (a write it confirms, or its failure as
   * {failure_code, message}), seen through event-bus interceptors: for writes that announce nothing else. The
   * request is seen as it is delivered, before its handler runs, so no answer escapes.
   */
  public static EventLog repliesTo(Vertx vertx, String address) {
    EventLog log = new EventLog("answers of " + address, true);
    Set<String> awaitedReplies = ConcurrentHashMap.newKeySet();
    Handler<DeliveryContext<Object>> interceptor = delivery -> {
      Message<Object> message = delivery.message();
      if (address.equals(message.address()) && message.replyAddress() != null) {
        awaitedReplies.add(message.replyAddress());
      } else if (awaitedReplies.remove(message.address())) {
        log.add(json(message.body()));
      }
      delivery.next();
    };
    vertx.eventBus().addInboundInterceptor(interceptor);
    log.unsubscribe = () -> vertx.eventBus().removeInboundInterceptor(interceptor);
    return log;
  }

  /** A tick every {@code every}: for {@link #awaitState} on a state that no event announces (a bounded poll). */
  public static EventLog ticks(Vertx vertx, Duration every) {
    EventLog log = new EventLog("a clock ticking every " + every.toMillis() + " ms", false);
    long timer = vertx.setPeriodic(every.toMillis(), id -> log.add(new JsonObject().put("tick", id)));
    log.unsubscribe = () -> vertx.cancelTimer(timer);
    return log;
  }

  /** The WebSocket of a log opened with {@link #onWebSocket}, to write to it. */
  public WebSocket webSocket() {
    if (socket == null) {
      throw new IllegalStateException(source + " is not a WebSocket");
    }
    return socket;
  }

  /** Adds an event from elsewhere (a process that exited, a fake server's request). */
  public synchronized void add(JsonObject event) {
    events.add(event);
    notifyAll();
  }

  /** The events so far, in arrival order. */
  public synchronized List<JsonObject> received() {
    return List.copyOf(events);
  }

  /** The first event (already received or still to come) that is {@code wanted}; fails after {@code within}. */
  public JsonObject await(String what, Duration within, Predicate<JsonObject> wanted) {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (this) {
      int checked = 0;
      while (true) {
        for (; checked < events.size(); checked++) {
          if (wanted.test(events.get(checked))) {
            return events.get(checked);
          }
        }
        waitForMore(what, within, deadline, null);
      }
    }
  }

  /**
   * Reads a state until it is {@code reached}: once now, then again after each new event. The log must have been
   * opened before the first read, so that a change after it always brings an event; fails after {@code within}
   * naming the last state read.
   */
  public <T> T awaitState(String what, Duration within, State<T> read, Predicate<? super T> reached) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      int seen;
      synchronized (this) {
        seen = events.size();
      }
      T state = read(read, what);
      if (reached.test(state)) {
        return state;
      }
      synchronized (this) {
        while (events.size() == seen) {
          waitForMore(what, within, deadline, String.valueOf(state));
        }
      }
    }
  }

  /** A state read by {@link #awaitState}: an HTTP request, a query, a file. */
  @FunctionalInterface
  public interface State<T> {
    T read() throws Exception;
  }

  @Override
  public void close() {
    unsubscribe.run();
  }

  private static <T> T read(State<T> read, String what) {
    try {
      return read.read();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("reading the state of \"" + what + "\" failed", e);
    }
  }

  /** Waits (holding this log's monitor) until an event arrives; fails once the deadline has passed. */
  private void waitForMore(String what, Duration within, long deadline, String lastState) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new AssertionError(failure(what, within, lastState));
    }
    try {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  private String failure(String what, Duration within, String lastState) {
    StringBuilder text = new StringBuilder("waited ").append(within).append(" for ").append(what).append(" in vain");
    if (lastState != null) {
      text.append("\n  last state read: ").append(lastState);
    }
    text.append("\n  ").append(events.size()).append(" event(s) from ").append(source);
    if (!showEvents) {
      return text.toString();
    }
    int from = Math.max(0, events.size() - SHOWN);
    if (from > 0) {
      text.append(", the last ").append(SHOWN);
    }
    for (JsonObject event : events.subList(from, events.size())) {
      text.append("\n    ").append(event.encode());
    }
    return text.toString();
  }

  private static JsonObject json(Object body) {
    if (body instanceof JsonObject object) {
      return object;
    }
    if (body instanceof ReplyException failure) {
      return new JsonObject().put("failure_code", failure.failureCode()).put("message", failure.getMessage());
    }
    return new JsonObject().put("body", String.valueOf(body));
  }
}
