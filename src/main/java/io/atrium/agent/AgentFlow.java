package io.atrium.agent;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.SearchHit;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Suggestions that never block the user: the row is created as {@code todo} (and announced) before the model is
 * asked; the answer must pass {@link SuggestionSchema} (through {@link StructuredAsk}, which sends a refused answer
 * back with the reason); only a valid result is stored, as {@code done}, else the row ends in {@code error} with
 * the reason. Every state change is published on {@link Addresses#EVENTS_AGENT}.
 */
final class AgentFlow {
  private static final Logger LOG = LoggerFactory.getLogger(AgentFlow.class);
  private static final long STORE_TIMEOUT_MS = 10_000;
  private static final long SEARCH_TIMEOUT_MS = 15_000;

  /** What one agent job is: its kind, the row's ids, its prompt and how its answer is checked and stored. */
  record Job(String kind, Long taskId, Long resourceId, String system, String input, StructuredAsk.Parser<JsonArray> parser, String resultField) {
  }

  private final Vertx vertx;
  private final AgentSettings settings;
  private final StructuredAsk ask;

  AgentFlow(Vertx vertx, AgentSettings settings, StructuredAsk ask) {
    this.vertx = vertx;
    this.settings = settings;
    this.ask = ask;
  }

  Future<JsonObject> decompose(JsonObject body) {
    JsonObject task = AgentRequest.decompose(body);
    JsonObject llm = AgentRequest.llmFields(body, settings);
    boolean async = AgentRequest.async(body);
    Long taskId = task.getLong("task_id");
    return start("decompose", taskId, null, llm, async, () -> taskContext(task).map(context -> new Job("decompose", taskId,
        null, AgentPrompts.DECOMPOSE, AgentPrompts.decomposeInput(task, context), SuggestionSchema::subtasks,
        "suggested_subtasks")));
  }

  Future<JsonObject> tag(JsonObject body) {
    JsonObject target = AgentRequest.tag(body);
    JsonObject llm = AgentRequest.llmFields(body, settings);
    boolean async = AgentRequest.async(body);
    long resourceId = target.getLong("resource_id");
    // the chunks are read first, so an unknown resource or a foreign chunk id is a 404 before any row exists
    return Bus.request(vertx, Addresses.SEARCH_CHUNKS, new JsonObject().put("resource_id", resourceId)
            .put("chunk_ids", target.getJsonArray("chunk_ids")).put("limit", settings.contextChunks()), SEARCH_TIMEOUT_MS)
        .compose(chunks -> {
          if (chunks.getJsonArray("chunks").isEmpty()) {
            return Future.failedFuture(ErrorCode.CONFLICT.exception(
                "resource " + resourceId + " has no indexed text yet (see /ingest/status/" + resourceId + ")", "resource_id"));
          }
          Job job = new Job("tag", null, resourceId, AgentPrompts.TAG,
              AgentPrompts.tagInput(chunks.getString("file_path"), chunks.getJsonArray("chunks"), settings.contextChars()),
              SuggestionSchema::tags, "suggested_tags");
          return start("tag", null, resourceId, llm, async, () -> Future.succeededFuture(job));
        });
  }

  Future<JsonObject> suggestion(JsonObject body) {
    return Bus.request(vertx, Addresses.STORE_SUGGESTION_GET, body, STORE_TIMEOUT_MS);
  }

  /**
   * Creates the row, then runs the job: the reply is the finished suggestion, or for {@code async} the row as
   * {@code todo} at once (the result follows by event and by GET).
   */
  private Future<JsonObject> start(String kind, Long taskId, Long resourceId, JsonObject llm, boolean async,
      Supplier<Future<Job>> prepare) {
    JsonObject row = new JsonObject().put("kind", kind).put("task_id", taskId).put("resource_id", resourceId)
        .put("provider", llm.getString("provider")).put("model", llm.getString("model"));
    JsonObject check = llm.copy().put("dry_run", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", kind)));
    // bad provider fields (unknown provider, no key) are a 400 before any row exists
    return Bus.request(vertx, Addresses.LLM_GENERATE, check, STORE_TIMEOUT_MS)
        .compose(valid -> Bus.request(vertx, Addresses.STORE_SUGGESTION_SAVE, row, STORE_TIMEOUT_MS)).compose(created -> {
      long id = created.getLong("id");
      announce(id, kind, taskId, resourceId, "todo", null);
      Future<JsonObject> run = prepare.get().compose(job -> run(id, job, llm));
      if (async) {
        run.onFailure(e -> LOG.info("suggestion {} ({}) ended in error: {}", id, kind, e.getMessage()));
        return Future.succeededFuture(new JsonObject().put("suggestion_id", id).put("kind", kind).put("status", "todo"));
      }
      return run;
    });
  }

  private Future<JsonObject> run(long id, Job job, JsonObject llm) {
    return ask.ask(llm, job.system(), job.input(), job.parser())
        .compose(answer -> finish(id, job, new JsonObject().put("status", "done")
            .put(job.resultField(), answer.value()).put("attempts", answer.attempts()))
            .map(v -> new JsonObject().put("suggestion_id", id).put("kind", job.kind()).put("status", "done")
                .put(job.resultField(), answer.value())))
        .recover(e -> {
          Failure failure = AgentFailures.of(e);
          return finish(id, job, new JsonObject().put("status", "error").put("last_error", failure.message())
                  .put("attempts", AgentFailures.attempts(e)))
              .transform(saved -> Future.<JsonObject>failedFuture(failure.toException()));
        });
  }

  private Future<Void> finish(long id, Job job, JsonObject update) {
    return Bus.request(vertx, Addresses.STORE_SUGGESTION_SAVE, update.put("id", id), STORE_TIMEOUT_MS)
        .onSuccess(v -> announce(id, job.kind(), job.taskId(), job.resourceId(), update.getString("status"),
            update.getString("last_error")))
        .onFailure(e -> LOG.error("cannot record suggestion {}: {}", id, e.getMessage()))
        .mapEmpty();
  }

  /** Passages of the task's own documents that match its title and description (none when search fails). */
  private Future<String> taskContext(JsonObject task) {
    Long taskId = task.getLong("task_id");
    if (taskId == null) {
      return Future.succeededFuture("");
    }
    String query = (task.getString("title") + " " + (task.getString("description") == null ? "" : task.getString("description"))).strip();
    JsonObject search = new JsonObject().put("query", query.length() > 1000 ? query.substring(0, 1000) : query)
        .put("top_k", settings.contextChunks()).put("filters", new JsonObject().put("task_id", taskId));
    return Bus.request(vertx, Addresses.SEARCH_HYBRID, search, SEARCH_TIMEOUT_MS)
        .map(found -> {
          StringBuilder context = new StringBuilder();
          for (SearchHit hit : SearchHit.listFrom(found)) {
            String text = hit.text();
            if (context.length() + text.length() > settings.contextChars()) {
              break;
            }
            context.append("- ").append(text.strip()).append('\n');
          }
          return context.toString();
        })
        .recover(e -> {
          LOG.info("decompose of task {} goes without document context: {}", taskId, e.getMessage());
          return Future.succeededFuture("");
        });
  }

  private void announce(long id, String kind, Long taskId, Long resourceId, String status, String error) {
    JsonObject event = new JsonObject().put("suggestion_id", id).put("event", kind).put("status", status)
        .put("task_id", taskId).put("resource_id", resourceId);
    if (error != null) {
      event.put("error", error);
    }
    vertx.eventBus().publish(Addresses.EVENTS_AGENT, event);
  }

}
