package io.atrium.sessions;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of inputs, on the sessions verticle's context: one at a time per conversation (a second input is a 409,
 * or with {@code queue: true} waits its turn), at most {@code sessions.concurrency} CLIs at once overall. An input
 * is appended to the conversation's JSONL before its CLI starts; every line the CLI prints becomes events on
 * {@link Addresses#EVENTS_SESSION} as it arrives; a CLI silent for {@code idle_timeout_s} or running past
 * {@code max_run_s} is killed with what it started; after every run the transcript is synced.
 */
final class ConversationRuns {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationRuns.class);
  private static final long STORE_TIMEOUT_MS = 30_000;

  /** What a run needs: its conversation and worker rows, the CLI and the program found for it. */
  record Turn(JsonObject conversation, JsonObject worker, CodingCli cli, String program, String input, String requestId) {
    String conversationId() {
      return conversation.getString("id");
    }

    String workerName() {
      return worker.getString("worker_name");
    }

    Map<String, String> env() {
      return WorkerRegistry.env(worker);
    }

    List<String> params() {
      List<String> params = new ArrayList<>();
      worker.getJsonArray("command_params", new JsonArray()).forEach(p -> params.add(String.valueOf(p)));
      return params;
    }
  }

  /** A run being worked on: queued until its turn, then its process. */
  private static final class Run {
    Turn turn;
    final Promise<JsonObject> reply = Promise.promise();
    /** For a streamed input: completes once the CLI has started (or the input is queued), before any outcome. */
    final Promise<JsonObject> accepted = Promise.promise();
    final TurnOutput output = new TurnOutput();
    long runId;
    CliProcess process;
    long startedNanos;
    boolean cancelled;
    String stopReason;
    ErrorCode stopCode;
    boolean rawIdSaved;
    long seq;
    /** The run's row and its input line are written: its run id is known. */
    Future<Void> recorded = Future.succeededFuture();

    Run(Turn turn) {
      this.turn = turn;
    }
  }

  private final Vertx vertx;
  private final SessionSettings settings;
  private final TranscriptSync sync;
  private final Map<String, Run> active = new HashMap<>();
  private final Map<String, Deque<Run>> queued = new HashMap<>();
  private final Deque<Runnable> waitingForSlot = new ArrayDeque<>();
  private int slotsInUse;

  ConversationRuns(Vertx vertx, SessionSettings settings, TranscriptSync sync) {
    this.vertx = vertx;
    this.settings = settings;
    this.sync = sync;
    vertx.setPeriodic(1000, id -> watch());
  }

  /** Runs going and inputs queued, across all conversations. */
  JsonObject totals() {
    return new JsonObject().put("running", active.size())
        .put("queued", queued.values().stream().mapToInt(Deque::size).sum());
  }

  /** Whether a conversation has a run going, and how many inputs wait behind it. */
  JsonObject state(String conversationId) {
    Run run = active.get(conversationId);
    return new JsonObject().put("running", run == null ? null : run.runId)
        .put("queued", queued.getOrDefault(conversationId, new ArrayDeque<>()).size());
  }

  /**
   * Runs {@code turn}, or queues it when asked and the conversation is busy; answers the run when it ends: done
   * (its result), cancelled, or a failure naming what went wrong — or, when {@code stream}, as soon as the CLI has
   * started or the input is queued (the events say the rest). The check and the claim of the conversation happen
   * in one step on this context, so two inputs can never both start.
   */
  Future<JsonObject> submit(Turn turn, boolean queue, boolean stream) {
    String id = turn.conversationId();
    Run run = new Run(turn);
    if (active.containsKey(id)) {
      Deque<Run> waiting = queued.computeIfAbsent(id, k -> new ArrayDeque<>());
      if (!queue) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception("conversation " + id + " is running an input (run "
            + active.get(id).runId + "); send \"queue\": true to run this one after it, or cancel it", "id"));
      }
      if (waiting.size() >= settings.maxQueued()) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception("conversation " + id + " already has "
            + waiting.size() + " inputs queued (sessions.max_queued)", "queue"));
      }
      // in the queue at once, so its turn keeps its place; it starts only once recorded (next() waits for that)
      waiting.add(run);
      run.recorded = record(run, "queued");
      run.recorded
          .onSuccess(v -> run.accepted.tryComplete(accepted(run, "queued")))
          .onFailure(e -> dropQueued(run, e));
      return stream ? run.accepted.future() : run.reply.future();
    }
    active.put(id, run);
    record(run, "running").onSuccess(v -> acquireSlot(() -> launch(run))).onFailure(e -> end(run, e));
    return stream ? run.accepted.future() : run.reply.future();
  }

  /** Stops the conversation's run (killing what it started) and drops the inputs queued behind it. */
  Future<JsonObject> cancel(String conversationId) {
    Run run = active.get(conversationId);
    Deque<Run> waiting = queued.remove(conversationId);
    int dropped = 0;
    if (waiting != null) {
      for (Run queuedRun : waiting) {
        queuedRun.cancelled = true;
        queuedRun.recorded.onComplete(v -> {
          finishRecord(queuedRun, "cancelled", null, "cancelled before it ran", null);
          queuedRun.reply.tryComplete(outcome(queuedRun, "cancelled"));
          publish(queuedRun, "status", new JsonObject().put("status", "cancelled"));
        });
        dropped++;
      }
    }
    if (run == null) {
      if (dropped == 0) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception("conversation " + conversationId
            + " has no input running", "id"));
      }
      return Future.succeededFuture(new JsonObject().put("cancelled", null).put("dropped_queued", dropped));
    }
    run.cancelled = true;
    if (run.process != null) {
      run.process.kill();
    }
    return Future.succeededFuture(new JsonObject().put("cancelled", run.runId).put("dropped_queued", dropped));
  }

  /** Cancels what the conversation has running or queued, if anything (it is being deleted). */
  void cancelIfAny(String conversationId) {
    if (active.containsKey(conversationId) || queued.containsKey(conversationId)) {
      cancel(conversationId);
    }
  }

  /** Kills every CLI still running (atrium is stopping); their runs are ended at the next start. */
  void stopAll() {
    active.values().forEach(run -> {
      if (run.process != null) {
        run.process.kill();
      }
    });
  }

  private Future<Void> record(Run run, String status) {
    JsonObject input = new JsonObject().put("role", "user").put("content", run.turn.input())
        .put("timestamp", Instant.now().toString());
    return store(Addresses.STORE_RUN_START, new JsonObject().put("conversation_id", run.turn.conversationId())
            .put("status", status))
        .compose(row -> {
          run.runId = row.getLong("run_id");
          input.put("metadata", new JsonObject().put("run_id", run.runId).put("worker_name", run.turn.workerName()));
          Path file = ConversationFiles.inputs(settings.conversationsDir(), run.turn.workerName(), run.turn.conversationId());
          // durable before the CLI starts: the user's words survive whatever happens to the run
          return vertx.executeBlocking(() -> {
            InputLog.append(file, input);
            return null;
          }, false);
        })
        .onSuccess(v -> publish(run, "status", new JsonObject().put("status", status)))
        .mapEmpty();
  }

  private void acquireSlot(Runnable start) {
    if (slotsInUse < settings.concurrency()) {
      slotsInUse++;
      start.run();
    } else {
      waitingForSlot.add(start);
    }
  }

  private void releaseSlot() {
    Runnable next = waitingForSlot.poll();
    if (next != null) {
      next.run();
    } else {
      slotsInUse--;
    }
  }

  private void launch(Run run) {
    if (run.cancelled) {
      releaseSlot();
      end(run, null);
      return;
    }
    Turn turn = run.turn;
    List<String> command = turn.cli().command(turn.program(), turn.params(),
        turn.conversation().getString("raw_conversation_id"), turn.input());
    var context = vertx.getOrCreateContext();
    vertx.executeBlocking(() -> CliProcess.start(command, Path.of(turn.conversation().getString("project_path")),
            turn.env(), turn.input(), settings.maxLineBytes(), context, line -> onLine(run, line)), false)
        .onSuccess(process -> {
          run.process = process;
          run.startedNanos = System.nanoTime();
          LOG.info("conversation {}: run {} started {} (pid {})", turn.conversationId(), run.runId, turn.cli().type(),
              process.pid());
          store(Addresses.STORE_RUN_START, new JsonObject().put("run_id", run.runId).put("status", "running")
              .put("pid", process.pid())).onFailure(e -> LOG.warn("run {}: pid not recorded: {}", run.runId, e.getMessage()));
          run.accepted.tryComplete(accepted(run, "running"));
          if (run.cancelled) {
            process.kill();
          }
          process.exit().onComplete(exit -> {
            releaseSlot();
            ended(run, exit.result());
          });
        })
        .onFailure(e -> {
          releaseSlot();
          end(run, ErrorCode.UNAVAILABLE.exception("cannot start " + turn.program() + " (" + turn.cli().programSetting()
              + "): " + e.getMessage(), turn.cli().programSetting()));
        });
  }

  private void onLine(Run run, JsonObject line) {
    try {
      run.turn.cli().read(line, run.output);
    } catch (RuntimeException e) {
      LOG.debug("run {}: a line of unexpected shape: {}", run.runId, e.getMessage());
    }
    String sessionId = run.output.sessionId();
    if (sessionId != null && !run.rawIdSaved && run.turn.conversation().getString("raw_conversation_id") == null) {
      run.rawIdSaved = true;
      // saved at once, so even a run that is killed later can be resumed
      store(Addresses.STORE_CONVERSATION_UPDATE, new JsonObject().put("id", run.turn.conversationId())
          .put("raw_conversation_id", sessionId))
          .onFailure(e -> LOG.warn("conversation {}: session id not saved: {}", run.turn.conversationId(), e.getMessage()));
    }
    for (JsonObject event : run.output.drainEvents()) {
      publish(run, event.getString("kind"), event);
    }
  }

  private void ended(Run run, CliProcess.Exit exit) {
    run.turn.cli().ended(run.output, exit.code());
    for (JsonObject event : run.output.drainEvents()) {
      publish(run, event.getString("kind"), event);
    }
    if (run.cancelled) {
      end(run, null);
    } else if (run.stopReason != null) {
      end(run, run.stopCode.exception(run.stopReason));
    } else if (run.output.error() != null) {
      end(run, cliFailure(run, run.output.error()));
    } else if (run.output.result() != null) {
      end(run, null);
    } else {
      String stderr = exit.stderrTail();
      String said = stderr.isEmpty() ? "" : ": " + (stderr.length() > 600 ? "…" + stderr.substring(stderr.length() - 600) : stderr);
      end(run, ErrorCode.BAD_GATEWAY.exception(run.turn.cli().type() + " exited with code " + exit.code()
          + " without an answer" + said + (exit.skippedLines() > 0 ? " (" + exit.skippedLines()
          + " output lines were too long or not JSON)" : "")));
    }
  }

  /** The CLI's own error: the provider's 401 names the worker's key, 429 stays 429, anything else is a 502. */
  private static Throwable cliFailure(Run run, TurnOutput.CliError error) {
    String worker = run.turn.workerName();
    JsonObject details = new JsonObject().put("worker_name", worker).put("run_id", run.runId)
        .put("provider_status", error.status());
    return switch (error.status()) {
      case 401, 403 -> new Failure(ErrorCode.UNAUTHORIZED, "the provider refused worker " + worker + "'s API key ("
          + run.turn.cli().keyVariable() + " in its env_vars): " + error.message(), "env_vars", null, details).toException();
      case 429 -> new Failure(ErrorCode.RATE_LIMITED, "the provider's rate limit, through worker " + worker + ": "
          + error.message(), null, null, details).toException();
      default -> new Failure(ErrorCode.BAD_GATEWAY, run.turn.cli().type() + " failed: " + error.message(), null, null,
          details).toException();
    };
  }

  /** Ends a run: records its outcome, tells followers, syncs the transcript, answers, and starts the next input. */
  private void end(Run run, Throwable failure) {
    String status = run.cancelled ? "cancelled" : failure == null ? "done" : "error";
    Failure failed = failure == null ? null : Failure.of(failure);
    JsonObject result = run.output.result();
    finishRecord(run, status, result, failed == null ? (run.cancelled ? "cancelled by the user" : null) : failed.message(),
        failed == null ? null : failed.code().wireName())
        .transform(v -> sync.sync(run.turn.conversation(), run.turn.cli(), run.turn.env()))
        .onComplete(synced -> {
          if (synced.failed()) {
            LOG.warn("conversation {}: sync after run {} failed: {}", run.turn.conversationId(), run.runId,
                synced.cause().getMessage());
          }
          publish(run, "status", new JsonObject().put("status", status).put("error", failed == null ? null : failed.message()));
          if (failed != null) {
            LOG.info("conversation {}: run {} ended {}: {}", run.turn.conversationId(), run.runId, status, failed.message());
            Throwable answer = new Failure(failed.code(), failed.message(), failed.field(), failed.retryAfterSeconds(),
                failed.details().copy().put("run_id", run.runId).put("status", status)).toException();
            run.accepted.tryFail(answer);
            run.reply.tryFail(answer);
          } else {
            run.accepted.tryComplete(outcome(run, status));
            run.reply.tryComplete(outcome(run, status));
          }
          next(run.turn.conversationId(), run);
        });
  }

  private void next(String conversationId, Run finished) {
    active.remove(conversationId, finished);
    Deque<Run> waiting = queued.get(conversationId);
    Run next = waiting == null ? null : waiting.poll();
    if (waiting != null && waiting.isEmpty()) {
      queued.remove(conversationId);
    }
    if (next == null) {
      return;
    }
    active.put(conversationId, next);
    // the queued input resumes the session its predecessor started
    next.recorded.compose(v -> store(Addresses.STORE_CONVERSATION_GET, new JsonObject().put("id", conversationId)))
        .onSuccess(fresh -> {
          publish(next, "status", new JsonObject().put("status", "running"));
          next.turn = new Turn(fresh, next.turn.worker(), next.turn.cli(), next.turn.program(), next.turn.input(),
              next.turn.requestId());
          store(Addresses.STORE_RUN_START, new JsonObject().put("run_id", next.runId).put("status", "running"))
              .onComplete(v -> acquireSlot(() -> launch(next)));
        })
        .onFailure(e -> end(next, e));
  }

  private void dropQueued(Run run, Throwable e) {
    Deque<Run> waiting = queued.get(run.turn.conversationId());
    if (waiting != null) {
      waiting.remove(run);
    }
    run.accepted.tryFail(e);
    run.reply.tryFail(e);
  }

  private static JsonObject accepted(Run run, String status) {
    return new JsonObject().put("run_id", run.runId).put("conversation_id", run.turn.conversationId())
        .put("worker_name", run.turn.workerName()).put("status", status);
  }

  private JsonObject outcome(Run run, String status) {
    JsonObject result = run.output.result();
    return new JsonObject().put("run_id", run.runId).put("conversation_id", run.turn.conversationId())
        .put("worker_name", run.turn.workerName()).put("status", status)
        .put("raw_conversation_id", run.output.sessionId() != null ? run.output.sessionId()
            : run.turn.conversation().getString("raw_conversation_id"))
        .put("result", result);
  }

  private Future<JsonObject> finishRecord(Run run, String status, JsonObject result, String error, String code) {
    if (run.runId == 0) {
      return Future.succeededFuture();
    }
    return store(Addresses.STORE_RUN_FINISH, new JsonObject().put("run_id", run.runId).put("status", status)
        .put("result", result).put("error", error).put("error_code", code))
        .onFailure(e -> LOG.warn("run {}: outcome not recorded: {}", run.runId, e.getMessage()));
  }

  /** Once a second: a CLI silent too long, or running too long, is stopped. */
  private void watch() {
    long now = System.nanoTime();
    for (Run run : active.values()) {
      if (run.process == null || run.stopReason != null || run.cancelled) {
        continue;
      }
      long silentMs = (now - run.process.lastOutputNanos()) / 1_000_000;
      long runningMs = (now - run.startedNanos) / 1_000_000;
      if (silentMs >= settings.idleTimeoutMs()) {
        run.stopReason = run.turn.cli().type() + " printed nothing for " + silentMs / 1000 + " s (sessions.idle_timeout_s) "
            + "and was stopped";
      } else if (runningMs >= settings.maxRunMs()) {
        run.stopReason = run.turn.cli().type() + " ran longer than " + settings.maxRunMs() / 1000 + " s (sessions.max_run_s) "
            + "and was stopped";
      } else {
        continue;
      }
      // 503, not 504: a bus consumer's 504 means a step inside atrium timed out, and is relayed as 503 anyway
      run.stopCode = ErrorCode.UNAVAILABLE;
      LOG.warn("conversation {}: run {}: {}", run.turn.conversationId(), run.runId, run.stopReason);
      run.process.kill();
    }
  }

  private void publish(Run run, String kind, JsonObject fields) {
    JsonObject event = fields.copy().put("kind", kind).put("conversation_id", run.turn.conversationId())
        .put("worker_name", run.turn.workerName()).put("run_id", run.runId).put("seq", ++run.seq);
    if (run.turn.requestId() != null) {
      event.put("request_id", run.turn.requestId());
    }
    vertx.eventBus().publish(Addresses.EVENTS_SESSION, event);
  }

  private Future<JsonObject> store(String address, JsonObject body) {
    return Bus.request(vertx, address, body, STORE_TIMEOUT_MS);
  }
}
