package io.atrium.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP connection to atrium that sends exactly what a test says and when: the slow, silent or vanishing clients
 * that plain HTTP clients will not play. Records what came back and when atrium closed it.
 */
final class RawConnection implements AutoCloseable {
  private final Vertx vertx;
  private final NetClient client;
  private final NetSocket socket;
  private final long openedAt = System.nanoTime();
  private final CompletableFuture<Long> closedAt = new CompletableFuture<>();
  private final Buffer received = Buffer.buffer();

  private RawConnection(Vertx vertx, NetClient client, NetSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    socket.handler(bytes -> {
      synchronized (received) {
        received.appendBuffer(bytes);
        received.notifyAll();
      }
    });
    socket.closeHandler(v -> closedAt.complete(System.nanoTime()));
  }

  static RawConnection open(Vertx vertx, int port) {
    NetClient client = vertx.createNetClient();
    return new RawConnection(vertx, client, client.connect(port, "127.0.0.1").await());
  }

  RawConnection send(String text) {
    return send(Buffer.buffer(text));
  }

  RawConnection send(Buffer bytes) {
    socket.write(bytes).await();
    return this;
  }

  /** Sends {@code bytes} a piece of {@code pieceSize} every {@code every} until they are all sent or the connection closes. */
  RawConnection trickle(Buffer bytes, int pieceSize, Duration every) {
    int[] sent = {0};
    vertx.setPeriodic(every.toMillis(), timer -> {
      if (closedAt.isDone() || sent[0] >= bytes.length()) {
        vertx.cancelTimer(timer);
        return;
      }
      int end = Math.min(bytes.length(), sent[0] + pieceSize);
      socket.write(bytes.slice(sent[0], end));
      sent[0] = end;
    });
    return this;
  }

  /** How long after it was opened atrium closed this connection; fails when it is still open after {@code within}. */
  Duration awaitClosedSinceOpened(Duration within) {
    return Duration.ofNanos(awaitClosed(within) - openedAt);
  }

  /** When ({@link System#nanoTime}) atrium closed this connection; fails when it is still open after {@code within}. */
  long awaitClosed(Duration within) {
    try {
      return closedAt.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the connection is still open after " + within + "; it received: " + received());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  boolean isOpen() {
    return !closedAt.isDone();
  }

  /** Waits until what came back contains {@code text}; answers all of it. */
  String awaitReceived(String text, Duration within) {
    return awaitBytes("'" + text + "'", within, bytes -> bytes.toString().contains(text)).toString();
  }

  /** Waits until what came back (all of it, from the start) is {@code reached}; answers it. */
  Buffer awaitBytes(String what, Duration within, java.util.function.Predicate<Buffer> reached) {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (received) {
      while (!reached.test(received)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closedAt.isDone()) {
          throw new AssertionError("waited " + within + " for " + what + " in vain; received: " + received);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(received, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
      return received.copy();
    }
  }

  String received() {
    synchronized (received) {
      return received.toString();
    }
  }

  @Override
  public void close() {
    if (isOpen()) {
      socket.close().await();
    }
    client.close().await();
  }
}
