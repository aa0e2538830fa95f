package io.atrium.sessions;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * messages/sync: reads a conversation's transcript, which the CLI keeps, from the byte offset where the last sync
 * stopped, copies its lines into the conversation's {@link MessageLog} and stores a row per message pointing there,
 * in batches (known uuids skipped). Each batch's rows, the offset after it and the log length commit together, so a
 * sync cut short resumes exactly there. One sync per conversation at a time: a second request waits
 * for the first and then reads only what is new.
 */
final class TranscriptSync {
  /** Lines per batch from a transcript file (rows only: the lines' bytes go to the message log). */
  private static final int FILE_BATCH = 2_500;
  /** Messages per batch from an export, whose content is stored in the rows. */
  private static final int EXPORT_BATCH = 500;
  private static final long STORE_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final Path claudeHome;
  private final Path conversationsDir;
  private static final long EXPORT_TIMEOUT_S = 120;
  private static final int MAX_EXPORT_BYTES = 512 * 1024 * 1024;

  private final ConversationIndexer indexer;
  private final WorkerRegistry registry;
  private final Map<String, Future<JsonObject>> inFlight = new HashMap<>();

  TranscriptSync(Vertx vertx, Path claudeHome, Path conversationsDir, WorkerRegistry registry,
      ConversationIndexer indexer) {
    this.vertx = vertx;
    this.claudeHome = claudeHome;
    this.conversationsDir = conversationsDir;
    this.registry = registry;
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

  /**
   * Completes when the conversation's sync in flight (if any) has ended, however it ended: a deleted conversation's
   * files go only after it, so a sync that was copying cannot make its message log again.
   */
  Future<Void> settled(String conversationId) {
    Future<JsonObject> running = inFlight.get(conversationId);
    return running == null ? Future.succeededFuture() : running.<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<JsonObject> read(JsonObject conversation, CodingCli cli, Map<String, String> env) {
    String id = conversation.getString("id");
    String rawId = conversation.getString("raw_conversation_id");
    if (rawId == null) {
      return total(id).map(total -> total.put("synced", false).put("reason", "the CLI has not started a session yet"));
    }
    // finding the transcript looks at folders: off the event loop like the reading
    return offContext(() -> java.util.Optional.ofNullable(
            cli.transcript(env, claudeHome, Path.of(conversation.getString("project_path")), rawId)))
        .compose(found -> found.isEmpty() ? exported(conversation, cli, env, rawId) : fromFile(conversation, found.get()));
  }

  /** Reads the transcript file from the offset the last sync of this file reached. */
  private Future<JsonObject> fromFile(JsonObject conversation, Path file) {
    String id = conversation.getString("id");
    JsonObject sync = conversation.getJsonObject("metadata", new JsonObject()).getJsonObject("sync", new JsonObject());
    long from = file.toString().equals(sync.getString("file")) ? sync.getLong("offset", 0L) : 0L;
    Path log = ConversationFiles.messages(conversationsDir, conversation.getString("worker_id"), id);
    int[] added = {0};
    return offContext(() -> {
      if (!Files.exists(file)) {
        return null;
      }
      try (MessageLog.Appender appender = MessageLog.open(log, sync.getLong("log_length", 0L));
          FileChannel transcript = FileChannel.open(file, StandardOpenOption.READ)) {
        // one batch is stored while the next is read: at most one in flight, so offsets still commit in order
        @SuppressWarnings("unchecked")
        Future<JsonObject>[] inFlight = new Future[] {Future.succeededFuture(new JsonObject().put("added", 0))};
        TranscriptReader.ReadResult read = TranscriptReader.read(file, from, FILE_BATCH, (batch, offsetAfter) -> {
          JsonArray rows = appender.copy(transcript, batch, offsetAfter);
          added[0] += inFlight[0].await().getInteger("added");
          inFlight[0] = Bus.request(vertx, Addresses.STORE_MESSAGES_APPEND, new JsonObject()
              .put("conversation_id", id).put("messages", rows).put("count", false)
              .put("sync", new JsonObject().put("file", file.toString()).put("offset", offsetAfter)
                  .put("log_length", appender.length())), STORE_TIMEOUT_MS);
        });
        added[0] += inFlight[0].await().getInteger("added");
        return read;
      }
    }).compose(read -> total(id).map(total -> {
      total.put("added", added[0]).put("synced", read != null).put("file", file.toString());
      return read == null ? total.put("reason", "the CLI's transcript " + file + " does not exist (yet)") : total;
    }));
  }

  /**
   * A CLI that keeps its history in a database of its own (OpenCode) prints it on request: the whole session as JSON,
   * whose messages are stored in batches, known ids skipped.
   */
  private Future<JsonObject> exported(JsonObject conversation, CodingCli cli, Map<String, String> env, String rawId) {
    String id = conversation.getString("id");
    int[] added = {0};
    return offContext(() -> {
      String program = registry.findProgram(cli, env);
      if (program == null) {
        throw ErrorCode.UNAVAILABLE.exception("the " + cli.type() + " program '" + registry.configuredProgram(cli)
            + "' is not installed or not on PATH (" + cli.programSetting() + ")", cli.programSetting());
      }
      JsonObject export = export(cli.exportCommand(program, rawId), Path.of(conversation.getString("project_path")), env);
      List<SyncedMessage> messages = OpenCode.exported(export);
      for (int start = 0; start < messages.size(); start += EXPORT_BATCH) {
        JsonArray batch = new JsonArray();
        messages.subList(start, Math.min(messages.size(), start + EXPORT_BATCH)).forEach(m -> batch.add(stored(m)));
        added[0] += Bus.request(vertx, Addresses.STORE_MESSAGES_APPEND, new JsonObject().put("conversation_id", id)
            .put("messages", batch).put("count", false), STORE_TIMEOUT_MS).await().getInteger("added");
      }
      return messages.size();
    }).compose(count -> total(id).map(total -> total.put("added", added[0]).put("synced", true)));
  }

  /** Runs the export command in the project folder with the worker's environment; blocking. */
  private static JsonObject export(List<String> command, Path directory, Map<String, String> env) throws Exception {
    Process process = CliProcess.withWorkerEnvironment(new ProcessBuilder(command).directory(directory.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectError(ProcessBuilder.Redirect.DISCARD), env).start();
    // a stuck export is killed, which also ends the read below
    process.onExit().orTimeout(EXPORT_TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS)
        .exceptionally(timedOut -> {
          CliProcess.kill(process.toHandle());
          return process;
        });
    try (var out = process.getInputStream()) {
      byte[] json = out.readNBytes(MAX_EXPORT_BYTES + 1);
      if (!process.waitFor(EXPORT_TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS)) {
        throw ErrorCode.BAD_GATEWAY.exception(command.get(0) + " export did not finish in " + EXPORT_TIMEOUT_S + " s");
      }
      if (json.length > MAX_EXPORT_BYTES) {
        throw ErrorCode.TOO_LARGE.exception("the exported session is over " + MAX_EXPORT_BYTES / (1024 * 1024) + " MB");
      }
      if (process.exitValue() != 0) {
        throw ErrorCode.BAD_GATEWAY.exception(String.join(" ", command.subList(1, command.size())) + " exited with code "
            + process.exitValue());
      }
      return new JsonObject(new String(json, java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      CliProcess.kill(process.toHandle());
    }
  }

  /** A message as the store takes it: the content as its JSON text (a string crosses the bus without a deep copy). */
  private static JsonObject stored(SyncedMessage message) {
    return new JsonObject().put("uuid", message.uuid()).put("message_type", message.type())
        .put("content_json", message.content().encode())
        .put("timestamp", message.timestamp());
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
