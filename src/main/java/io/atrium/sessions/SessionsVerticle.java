package io.atrium.sessions;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coding-agent sessions (seed 001): workers, conversations, inputs, runs and synced messages behind
 * {@code atrium.sessions.*}. Rows live in the store (its writer's {@code atrium.store.worker|conversation|messages|run.*});
 * runs are {@link ConversationRuns}'; files (inputs JSONL, the CLI's transcripts) are read and written off the event
 * loop. At start, the runs a killed atrium left behind end in error and their processes are stopped.
 */
public final class SessionsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SessionsVerticle.class);
  private static final long STORE_TIMEOUT_MS = 30_000;
  private static final int MAX_INPUT_CHARS = 200_000;

  private SessionSettings settings;
  private WorkerRegistry registry;
  private TranscriptSync sync;
  private ConversationRuns runs;

  @Override
  public Future<?> start() {
    settings = SessionSettings.fromJson(config());
    List<CodingCli> clis = List.of(new ClaudeCode(), new OpenCode());
    registry = new WorkerRegistry(clis, Map.of("claudecode", settings.claudeCommand(), "opencode", settings.openCodeCommand()));
    sync = new TranscriptSync(vertx, settings.claudeHome(), settings.conversationsDir(), registry,
        new ConversationIndexer(vertx, settings.conversationsDir()));
    runs = new ConversationRuns(vertx, settings, sync);
    return abandonLeftRuns().compose(v -> Future.all(List.of(
        serve(Addresses.SESSIONS_STATUS, body -> status()),
        serve(Addresses.SESSIONS_WORKER_TYPES, body -> Future.succeededFuture(registry.typesJson())),
        serve(Addresses.SESSIONS_WORKER_CREATE, this::createWorker),
        serve(Addresses.SESSIONS_WORKER_LIST, this::listWorkers),
        serve(Addresses.SESSIONS_WORKER_GET, body -> worker(WorkerRegistry.name(body)).map(WorkerRegistry::shown)),
        serve(Addresses.SESSIONS_WORKER_DELETE, body -> store(Addresses.STORE_WORKER_DELETE,
            new JsonObject().put("worker_name", WorkerRegistry.name(body)))),
        serve(Addresses.SESSIONS_CONVERSATION_CREATE, this::createConversation),
        serve(Addresses.SESSIONS_CONVERSATION_LIST, this::listConversations),
        serve(Addresses.SESSIONS_CONVERSATION_GET, body -> conversation(id(body)).map(this::withRunState)),
        serve(Addresses.SESSIONS_CONVERSATION_RENAME, body -> store(Addresses.STORE_CONVERSATION_UPDATE,
            new JsonObject().put("id", id(body)).put("name", Fields.text(body, "name", 500, true))).map(this::withRunState)),
        serve(Addresses.SESSIONS_CONVERSATION_DELETE, this::deleteConversation),
        serve(Addresses.SESSIONS_INPUTS, this::inputs),
        serve(Addresses.SESSIONS_INPUT, this::input),
        serve(Addresses.SESSIONS_CANCEL, body -> conversation(id(body)).compose(c -> runs.cancel(c.getString("id")))),
        serve(Addresses.SESSIONS_MESSAGES, this::messages),
        serve(Addresses.SESSIONS_SYNC, this::syncNow))));
  }

  @Override
  public Future<?> stop() {
    runs.stopAll();
    return Future.succeededFuture();
  }

  /** A run a killed atrium left queued or running ends in error; the CLI it started, if still alive, is stopped. */
  private Future<Void> abandonLeftRuns() {
    return store(Addresses.STORE_RUN_ABANDON, new JsonObject().put("error", "atrium stopped while this input ran"))
        .compose(left -> vertx.executeBlocking(() -> {
          JsonArray abandoned = left.getJsonArray("runs");
          for (Object item : abandoned) {
            JsonObject run = (JsonObject) item;
            Long pid = run.getLong("pid");
            if (pid != null) {
              ProcessHandle.of(pid).filter(this::isOneOfOurClis).ifPresent(handle -> {
                LOG.warn("stopping pid {}, left running by run {} of conversation {}", pid, run.getLong("id"),
                    run.getString("conversation_id"));
                CliProcess.kill(handle);
              });
            }
          }
          if (!abandoned.isEmpty()) {
            LOG.warn("{} coding-agent runs were cut short by the last stop; they end in error", abandoned.size());
          }
          return null;
        }, false));
  }

  /** A pid is reused by the system: only a process running one of the configured CLIs is stopped. */
  private boolean isOneOfOurClis(ProcessHandle handle) {
    String command = handle.info().command().orElse("") + " " + String.join(" ", handle.info().arguments().orElse(new String[0]));
    return command.contains(Path.of(settings.claudeCommand()).getFileName().toString())
        || command.contains(Path.of(settings.openCodeCommand()).getFileName().toString());
  }

  /** For /health: each CLI's program as configured and whether it is found on atrium's PATH, and the runs going. */
  private Future<JsonObject> status() {
    return vertx.executeBlocking(() -> {
      JsonObject clis = new JsonObject();
      for (CodingCli cli : registry.clis()) {
        clis.put(cli.type(), new JsonObject().put("program", registry.configuredProgram(cli))
            .put("available", registry.findProgram(cli, Map.of()) != null));
      }
      return clis;
    }, false).map(clis -> runs.totals().put("clis", clis));
  }

  private Future<JsonObject> createWorker(JsonObject body) {
    return store(Addresses.STORE_WORKER_CREATE, registry.definition(body)).map(WorkerRegistry::shown);
  }

  private Future<JsonObject> listWorkers(JsonObject body) {
    JsonObject query = new JsonObject();
    if (body.getValue("worker_name") != null) {
      query.put("worker_name", WorkerRegistry.name(body));
    }
    return store(Addresses.STORE_WORKER_LIST, query).map(list -> {
      JsonArray shown = new JsonArray();
      list.getJsonArray("workers").forEach(w -> shown.add(WorkerRegistry.shown((JsonObject) w)));
      return new JsonObject().put("workers", shown);
    });
  }

  private Future<JsonObject> createConversation(JsonObject body) {
    String worker = WorkerRegistry.name(body);
    String projectPath = Fields.exactText(body, "project_path", 4096);
    String name = Fields.text(body, "name", 500, false);
    return worker(worker)
        .compose(w -> vertx.executeBlocking(() -> ConversationFiles.project(projectPath, settings.allowedRoots()), false)
            .compose(project -> store(Addresses.STORE_CONVERSATION_CREATE, new JsonObject()
                .put("id", UUID.randomUUID().toString()).put("worker_name", worker).put("project_path", project.toString())
                .put("name", name != null ? name : project.getFileName() == null ? project.toString() : project.getFileName().toString())
                .put("metadata", new JsonObject().put("worker_type", w.getString("type"))))))
        .map(this::withRunState);
  }

  private Future<JsonObject> listConversations(JsonObject body) {
    JsonObject query = new JsonObject().put("limit", bounded(body, "limit", 1, 1000, 100))
        .put("offset", bounded(body, "offset", 0, Integer.MAX_VALUE, 0));
    if (body.getValue("worker_name") != null) {
      query.put("worker_name", WorkerRegistry.name(body));
    }
    return store(Addresses.STORE_CONVERSATION_LIST, query);
  }

  private Future<JsonObject> deleteConversation(JsonObject body) {
    String id = id(body);
    return conversation(id)
        .compose(conversation -> {
          runs.cancelIfAny(id);
          return store(Addresses.STORE_CONVERSATION_DELETE, new JsonObject().put("id", id));
        })
        .compose(deleted -> {
          String workerName = deleted.getJsonObject("conversation").getString("worker_id");
          Path inputs = ConversationFiles.inputs(settings.conversationsDir(), workerName, id);
          Path messages = ConversationFiles.messages(settings.conversationsDir(), workerName, id);
          Long resourceId = deleted.getLong("resource_id");
          Future<JsonObject> chunksGone = resourceId == null ? Future.succeededFuture()
              : store(Addresses.STORE_RESOURCE_DELETE, new JsonObject().put("id", resourceId));
          return chunksGone.compose(v -> sync.settled(id))
              .compose(v -> vertx.executeBlocking(() -> new boolean[] {Files.deleteIfExists(inputs),
                  Files.deleteIfExists(messages)}, false))
              .map(removed -> new JsonObject().put("deleted", true).put("id", id)
                  .put("messages", deleted.getInteger("messages")).put("inputs_file_removed", removed[0])
                  .put("messages_file_removed", removed[1]));
        });
  }

  /** {id, limit (1..1000, default 100)} → {conversation_id, inputs}: newest first, each with its run's outcome. */
  private Future<JsonObject> inputs(JsonObject body) {
    String id = id(body);
    int limit = bounded(body, "limit", 1, 1000, 100);
    return conversation(id)
        .compose(c -> vertx.executeBlocking(() -> InputLog.newestFirst(
            ConversationFiles.inputs(settings.conversationsDir(), c.getString("worker_id"), id), limit), false))
        .compose(inputs -> {
          JsonArray runIds = new JsonArray();
          inputs.forEach(input -> {
            Object runId = input.getJsonObject("metadata", new JsonObject()).getValue("run_id");
            if (runId != null) {
              runIds.add(runId);
            }
          });
          return store(Addresses.STORE_RUN_LIST, new JsonObject().put("conversation_id", id).put("ids", runIds))
              .map(found -> {
                JsonObject byId = found.getJsonObject("runs");
                JsonArray shown = new JsonArray();
                for (JsonObject input : inputs) {
                  JsonObject run = byId.getJsonObject(String.valueOf(input.getJsonObject("metadata", new JsonObject())
                      .getValue("run_id")));
                  if (run != null) {
                    input.put("status", run.getString("status"));
                    if (run.getString("error") != null) {
                      input.put("error", run.getString("error"));
                    }
                  }
                  shown.add(input);
                }
                return new JsonObject().put("conversation_id", id).put("inputs", shown);
              });
        });
  }

  /**
   * {id, content, queue?, stream?, request_id?} → the run when it ends; with {@code stream} (and the request_id its
   * events will carry) as soon as the CLI has started or the input is queued.
   */
  private Future<JsonObject> input(JsonObject body) {
    String id = id(body);
    Object content = body.getValue("content");
    if (!(content instanceof String text) || text.isBlank() || text.length() > MAX_INPUT_CHARS) {
      throw ErrorCode.INVALID_REQUEST.exception("content must be a non-empty string of at most " + MAX_INPUT_CHARS
          + " characters", "content");
    }
    boolean queue = Boolean.TRUE.equals(Fields.optionalBoolean(body, "queue"));
    boolean stream = Boolean.TRUE.equals(Fields.optionalBoolean(body, "stream"));
    String requestId = Fields.text(body, "request_id", 100, stream);
    return conversation(id).compose(conversation -> {
      String workerName = conversation.getString("worker_id");
      return store(Addresses.STORE_WORKER_GET, new JsonObject().put("worker_name", workerName))
          .recover(e -> Future.failedFuture(notFound(e) ? ErrorCode.CONFLICT.exception("the worker " + workerName
              + " of conversation " + id + " no longer exists; register a worker of that name to continue it", "id") : e))
          .compose(worker -> {
            CodingCli cli = registry.cli(worker.getString("type"));
            Map<String, String> env = env(worker);
            return vertx.executeBlocking(() -> registry.findProgram(cli, env), false).compose(program -> {
              if (program == null) {
                return Future.failedFuture(ErrorCode.UNAVAILABLE.exception("the " + cli.type() + " program '"
                    + registry.configuredProgram(cli) + "' is not installed or not on PATH (" + cli.programSetting() + ")",
                    cli.programSetting()));
              }
              return runs.submit(new ConversationRuns.Turn(conversation, worker, cli, program, text, requestId), queue, stream);
            });
          });
    });
  }

  /** {id, limit?, after_id?} → {conversation_id, messages, total}. */
  private Future<JsonObject> messages(JsonObject body) {
    String id = id(body);
    JsonObject query = new JsonObject().put("conversation_id", id).put("limit", bounded(body, "limit", 1, 1000, 100))
        .put("after_id", bounded(body, "after_id", 0, Integer.MAX_VALUE, 0));
    return store(Addresses.STORE_MESSAGES_LIST, query).compose(list -> {
      JsonArray messages = list.getJsonArray("messages");
      if (messages.isEmpty()) {
        return Future.succeededFuture(list.put("conversation_id", id));
      }
      Path log = ConversationFiles.messages(settings.conversationsDir(), messages.getJsonObject(0).getString("worker_id"), id);
      return vertx.executeBlocking(() -> MessageLog.fill(log, messages), false)
          .map(filled -> list.put("conversation_id", id));
    });
  }

  private Future<JsonObject> syncNow(JsonObject body) {
    String id = id(body);
    return conversation(id).compose(conversation -> store(Addresses.STORE_WORKER_GET,
            new JsonObject().put("worker_name", conversation.getString("worker_id")))
        // a deleted worker's conversation still syncs, as the type it was opened with, from the default locations
        .recover(e -> notFound(e) ? Future.succeededFuture(new JsonObject().put("type", conversation
            .getJsonObject("metadata", new JsonObject()).getString("worker_type", WorkerRegistry.DEFAULT_TYPE)))
            : Future.failedFuture(e))
        .compose(worker -> sync.sync(conversation, registry.cli(worker.getString("type")), env(worker)))
        .map(result -> result.put("conversation_id", id)));
  }

  private JsonObject withRunState(JsonObject conversation) {
    return conversation.copy().put("run", runs.state(conversation.getString("id")));
  }

  private Future<JsonObject> worker(String name) {
    return store(Addresses.STORE_WORKER_GET, new JsonObject().put("worker_name", name));
  }

  private Future<JsonObject> conversation(String id) {
    return store(Addresses.STORE_CONVERSATION_GET, new JsonObject().put("id", id));
  }

  private static Map<String, String> env(JsonObject worker) {
    return WorkerRegistry.env(worker);
  }

  /** Only a row that is not there means a deleted worker; a store that did not answer stays a failure. */
  private static boolean notFound(Throwable failure) {
    return io.atrium.bus.Failure.of(failure).code() == ErrorCode.NOT_FOUND;
  }

  private static String id(JsonObject body) {
    Object value = body.getValue("id");
    if (!(value instanceof String id) || id.length() < 2 || id.length() > 64 || !id.matches("[A-Za-z0-9_-]+")) {
      throw ErrorCode.INVALID_REQUEST.exception("id must be a conversation id", "id");
    }
    return id;
  }

  private static int bounded(JsonObject body, String field, int min, int max, int fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer number) || number < min || number > max) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be an integer from " + min + " to " + max, field);
    }
    return number;
  }

  private Future<Void> serve(String address, java.util.function.Function<JsonObject, Future<JsonObject>> operation) {
    return Bus.serve(vertx, address, operation);
  }

  private Future<JsonObject> store(String address, JsonObject body) {
    return Bus.request(vertx, address, body, STORE_TIMEOUT_MS);
  }
}
