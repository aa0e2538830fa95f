package io.atrium.sessions;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CLI child process: started in its project folder with atrium's environment less its own {@code ATRIUM_*}
 * settings, plus the worker's env_vars; its input written to stdin and closed, stdout read line by line on a
 * virtual thread of its own (each JSON line handed to the owning context in order, a line over the limit skipped
 * without being held), stderr kept as a bounded tail. {@link #exit}
 * completes on the owning context after the last line. {@link #kill} stops the process and everything it started.
 */
final class CliProcess {
  private static final Logger LOG = LoggerFactory.getLogger(CliProcess.class);
  private static final int STDERR_TAIL = 16 * 1024;
  /**
   * After the CLI exits, how long its output may take to drain. A process it started and left behind (a tool's
   * server) can hold stdout open for ever: the run ends anyway, with what was read by then.
   */
  private static final long DRAIN_AFTER_EXIT_MS = 2000;

  /** How the process ended: its exit code, the end of what it wrote to stderr, lines too long or not JSON. */
  record Exit(int code, String stderrTail, int skippedLines) {
  }

  private final Process process;
  private final Promise<Exit> exit = Promise.promise();
  private final StderrTail stderr = new StderrTail();
  private volatile long lastOutputNanos = System.nanoTime();
  private volatile int skippedLines;
  private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

  private CliProcess(Process process) {
    this.process = process;
  }

  /**
   * Blocking (forks): call from a worker thread. {@code onLine} runs on {@code context} for each JSON line, in
   * the order printed; {@link #exit} completes there after the last one.
   */
  static CliProcess start(List<String> command, Path directory, Map<String, String> env, String input,
      int maxLineBytes, Context context, Consumer<JsonObject> onLine) throws IOException {
    Process process = withWorkerEnvironment(new ProcessBuilder(command).directory(directory.toFile()), env).start();
    CliProcess cli = new CliProcess(process);
    Thread.ofVirtual().name("atrium-cli-err-" + process.pid()).start(() -> cli.stderr.drain(process.getErrorStream()));
    Thread.ofVirtual().name("atrium-cli-out-" + process.pid()).start(() -> cli.readOut(maxLineBytes, context, onLine));
    process.onExit().thenRun(() -> Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(DRAIN_AFTER_EXIT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!cli.finished.get()) {
        LOG.info("pid {} exited but its output is still held open (by a process it left running); the run ends now",
            process.pid());
        cli.finish(context);
      }
    }));
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // a CLI that exits before reading its input says why on stderr; its exit is reported as usual
      LOG.debug("writing the input of pid {}: {}", process.pid(), e.getMessage());
    }
    return cli;
  }

  /**
   * A CLI child's environment: atrium's, less its own {@code ATRIUM_*} settings (its API tokens, provider keys: the
   * CLI runs tools the model chooses), plus the worker's env_vars.
   */
  static ProcessBuilder withWorkerEnvironment(ProcessBuilder builder, Map<String, String> env) {
    builder.environment().keySet().removeIf(name -> name.startsWith("ATRIUM_"));
    builder.environment().putAll(env);
    return builder;
  }

  long pid() {
    return process.pid();
  }

  Future<Exit> exit() {
    return exit.future();
  }

  /** Nanoseconds (System.nanoTime) of the last byte the CLI printed on stdout or stderr. */
  long lastOutputNanos() {
    return lastOutputNanos;
  }

  /** Stops the process and every process it started (a CLI's tool runs, its language servers). */
  void kill() {
    kill(process.toHandle());
  }

  static void kill(ProcessHandle handle) {
    handle.descendants().forEach(ProcessHandle::destroyForcibly);
    handle.destroyForcibly();
  }

  private void readOut(int maxLineBytes, Context context, Consumer<JsonObject> onLine) {
    try (InputStream out = process.getInputStream()) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      boolean oversized = false;
      byte[] buffer = new byte[8192];
      int read;
      while ((read = out.read(buffer)) > 0) {
        lastOutputNanos = System.nanoTime();
        int start = 0;
        for (int i = 0; i < read; i++) {
          if (buffer[i] != '\n') {
            continue;
          }
          if (!oversized) {
            line.write(buffer, start, i - start);
            deliver(line, context, onLine);
          }
          line.reset();
          oversized = false;
          start = i + 1;
        }
        if (!oversized) {
          line.write(buffer, start, read - start);
          if (line.size() > maxLineBytes) {
            oversized = true;
            skippedLines++;
            line.reset();
          }
        }
      }
      if (!oversized && line.size() > 0) {
        deliver(line, context, onLine);
      }
    } catch (IOException e) {
      LOG.debug("reading the output of pid {}: {}", process.pid(), e.getMessage());
    }
    waitFor();
    stderr.awaitEnd();
    finish(context);
  }

  /** Reports the exit once, whichever comes first: the output drained, or the drain's grace after the exit. */
  private void finish(Context context) {
    if (finished.compareAndSet(false, true)) {
      Exit ended = new Exit(waitFor(), stderr.tail(), skippedLines);
      context.runOnContext(v -> exit.complete(ended));
    }
  }

  private void deliver(ByteArrayOutputStream bytes, Context context, Consumer<JsonObject> onLine) {
    String text = bytes.toString(StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return;
    }
    if (finished.get()) {
      return; // the run was ended after the CLI's exit: what a leftover process prints is not the turn's
    }
    try {
      JsonObject json = new JsonObject(text);
      context.runOnContext(v -> onLine.accept(json));
    } catch (DecodeException | ClassCastException e) {
      skippedLines++;
      LOG.debug("pid {} printed a line that is not a JSON object: {}", process.pid(), text.length() > 200
          ? text.substring(0, 200) + "…" : text);
    }
  }

  private int waitFor() {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      return -1;
    }
  }

  /** The last {@value #STDERR_TAIL} bytes of stderr; reading it also counts as output for the idle watch. */
  private final class StderrTail {
    private final byte[] ring = new byte[STDERR_TAIL];
    private long written;
    private final Promise<Void> ended = Promise.promise();

    void drain(InputStream err) {
      try (err) {
        byte[] buffer = new byte[4096];
        int read;
        while ((read = err.read(buffer)) > 0) {
          lastOutputNanos = System.nanoTime();
          synchronized (this) {
            for (int i = 0; i < read; i++) {
              ring[(int) (written++ % STDERR_TAIL)] = buffer[i];
            }
          }
        }
      } catch (IOException e) {
        LOG.debug("reading stderr of pid {}: {}", process.pid(), e.getMessage());
      } finally {
        ended.tryComplete();
      }
    }

    void awaitEnd() {
      try {
        ended.future().toCompletionStage().toCompletableFuture().get(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        // a grandchild may hold stderr open after the CLI exits: report what there is
      }
    }

    synchronized String tail() {
      int length = (int) Math.min(written, STDERR_TAIL);
      byte[] out = new byte[length];
      for (int i = 0; i < length; i++) {
        out[i] = ring[(int) ((written - length + i) % STDERR_TAIL)];
      }
      return new String(out, StandardCharsets.UTF_8).strip();
    }
  }
}
