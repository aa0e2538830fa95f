package io.atrium.tasks;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Failure;
import io.atrium.bus.Fields;
import io.atrium.bus.Pages;
import io.atrium.bus.ProgressEvent;
import io.atrium.bus.Stage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every task not ended (issue 15; seeds 002 and 004: a long job answers at once with a task id, then is
 * polled, followed live or called back): an item ends when its file's run ends ({@code atrium.events.progress} done or
 * error) or its document is deleted; the task's status and progress follow, are written through the store and
 * published on {@code atrium.events.task}. At start the tasks a stopped atrium left open are read back and their items
 * settled from their resources' state. Confined to its event loop.
 */
public final class TaskVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TaskVerticle.class);
  private static final long STORE_TIMEOUT_MS = 30_000;
  private static final Set<String> KINDS = Set.of("upload", "reindex");

  /** A task being followed: each item's outcome, null while it runs. */
  private static final class Followed {
    final long id;
    final String kind;
    final Map<Long, String> outcomes = new LinkedHashMap<>();
    final Map<Long, String> names = new HashMap<>();
    String status;
    int progress = -1;

    Followed(long id, String kind, String status) {
      this.id = id;
      this.kind = kind;
      this.status = status;
    }
  }

  private final Map<Long, Followed> followed = new HashMap<>();
  /** Resource → the followed tasks waiting for it. */
  private final Map<Long, Set<Long>> waitingFor = new HashMap<>();
  /** The last percentage each running resource reported. */
  private final Map<Long, Integer> percentages = new HashMap<>();

  @Override
  public Future<?> start() {
    return Future.all(List.of(
            vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_PROGRESS, m -> progress(ProgressEvent.fromJson(m.body())))
                .completion(),
            vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_INDEX_CHANGED, m -> indexChanged(m.body())).completion(),
            Bus.serve(vertx, Addresses.TASKS_TRACK, body -> track(Fields.positiveLong(body, "task_id"), Set.of())),
            Bus.serve(vertx, Addresses.TASKS_REINDEX, this::reindex),
            Bus.serve(vertx, Addresses.TASKS_GET, body -> get(Fields.positiveLong(body, "id"))),
            Bus.serve(vertx, Addresses.TASKS_LIST, this::list),
            Bus.serve(vertx, Addresses.TASKS_CANCEL, body -> cancel(Fields.positiveLong(body, "id"))),
            Bus.serve(vertx, Addresses.TASKS_RETRY, body -> retry(Fields.positiveLong(body, "id")))))
        .compose(v -> store(Addresses.STORE_TASK_ACTIVE, new JsonObject()))
        .onSuccess(open -> {
          open.getJsonArray("tasks").forEach(task -> follow((JsonObject) task, Set.of()));
          if (!open.getJsonArray("tasks").isEmpty()) {
            LOG.info("following {} tasks left open by the last run", followed.size());
          }
        });
  }

  /** Starts following a task that was just made or reopened; {@code reopened} items run again whatever they were. */
  private Future<JsonObject> track(long id, Set<Long> reopened) {
    return store(Addresses.STORE_TASK_GET, new JsonObject().put("id", id)).map(task -> {
      follow(task, reopened);
      return shape(task);
    });
  }

  private void follow(JsonObject task, Set<Long> reopened) {
    long id = task.getLong("task_id");
    Followed f = new Followed(id, task.getString("kind"), task.getString("status"));
    List<JsonObject> settled = new ArrayList<>();
    for (Object entry : task.getJsonArray("items")) {
      JsonObject item = (JsonObject) entry;
      long resource = item.getLong("resource_id");
      f.names.put(resource, item.getString("file_name"));
      String outcome = reopened.contains(resource) ? null : item.getString("outcome");
      if (outcome == null && !reopened.contains(resource)) {
        // what happened while nobody followed: a run that ended, a document deleted
        outcome = switch (item.getString("status")) {
          case "error" -> "error";
          case "done" -> item.getBoolean("indexed", false) ? "done" : null;
          case "deleted" -> "deleted";
          default -> null;
        };
        if (outcome != null) {
          settled.add(new JsonObject().put("resource_id", resource).put("outcome", outcome).put("error", item.getString("error")));
        }
      }
      f.outcomes.put(resource, outcome);
      if (outcome == null) {
        waitingFor.computeIfAbsent(resource, k -> new HashSet<>()).add(id);
      }
    }
    followed.put(id, f);
    changed(f, settled, null);
  }

  private void progress(ProgressEvent event) {
    Set<Long> tasks = waitingFor.get(event.resourceId());
    if (tasks == null) {
      return;
    }
    long resource = event.resourceId();
    percentages.put(resource, event.percentage());
    String outcome = event.stage() == Stage.DONE ? "done" : event.stage() == Stage.ERROR ? "error" : null;
    for (long id : List.copyOf(tasks)) {
      Followed f = followed.get(id);
      if (f == null) {
        continue;
      }
      if (outcome == null) {
        changed(f, List.of(), null);
      } else {
        end(f, resource, outcome, event.error());
      }
    }
  }

  /** A deleted document's item ends {@code deleted}: it will not come. */
  private void indexChanged(JsonObject change) {
    if (!"removed".equals(change.getString("action"))) {
      return;
    }
    long resource = change.getLong("resource_id");
    Set<Long> tasks = waitingFor.get(resource);
    if (tasks != null) {
      for (long id : List.copyOf(tasks)) {
        Followed f = followed.get(id);
        if (f != null) {
          end(f, resource, "deleted", null);
        }
      }
    }
  }

  private void end(Followed f, long resource, String outcome, String error) {
    f.outcomes.put(resource, outcome);
    stopWaiting(f.id, resource);
    changed(f, List.of(new JsonObject().put("resource_id", resource).put("outcome", outcome).put("error", error)), null);
  }

  private void stopWaiting(long task, long resource) {
    Set<Long> tasks = waitingFor.get(resource);
    if (tasks != null && tasks.remove(task) && tasks.isEmpty()) {
      waitingFor.remove(resource);
      percentages.remove(resource);
    }
  }

  /**
   * After items ended (or a percentage moved): the new status written with the items, and an event for each ended
   * item and for the task when its status or progress changed. An ended task is no longer followed.
   */
  private void changed(Followed f, List<JsonObject> endedItems, String forcedStatus) {
    String before = f.status;
    boolean started = !"pending".equals(before)
        || f.outcomes.keySet().stream().anyMatch(resource -> percentages.getOrDefault(resource, 0) > 0);
    String status = forcedStatus != null ? forcedStatus : TaskStatus.of(f.outcomes.values(), started);
    int progress = progress(f);
    boolean statusChanged = !status.equals(before);
    f.status = status;
    boolean ended = TaskStatus.ENDED.contains(status);
    if (statusChanged || !endedItems.isEmpty()) {
      JsonObject update = new JsonObject().put("id", f.id).put("status", status)
          .put("started", !"pending".equals(status)).put("finished", ended && statusChanged)
          .put("reopened", !ended).put("items", new JsonArray(endedItems));
      store(Addresses.STORE_TASK_UPDATE, update)
          .onFailure(e -> LOG.error("task {}: its {} could not be recorded: {}", f.id, status, e.getMessage()));
    }
    for (JsonObject item : endedItems) {
      publish(f, progress, new JsonObject().put("resource_id", item.getLong("resource_id"))
          .put("file_name", f.names.get(item.getLong("resource_id"))).put("status", item.getString("outcome"))
          .put("error", item.getString("error")));
    }
    if (statusChanged || progress != f.progress) {
      f.progress = progress;
      if (endedItems.isEmpty() || statusChanged) {
        publish(f, progress, null);
      }
    }
    if (ended) {
      followed.remove(f.id);
      f.outcomes.keySet().forEach(resource -> stopWaiting(f.id, resource));
      LOG.info("task {} ({}) {}", f.id, f.kind, status);
    }
  }

  private int progress(Followed f) {
    if (f.outcomes.isEmpty()) {
      return 100;
    }
    long sum = 0;
    for (Map.Entry<Long, String> item : f.outcomes.entrySet()) {
      sum += item.getValue() != null ? 100 : Math.max(0, Math.min(100, percentages.getOrDefault(item.getKey(), 0)));
    }
    return (int) (sum / f.outcomes.size());
  }

  private void publish(Followed f, int progress, JsonObject item) {
    JsonObject event = new JsonObject().put("task_id", f.id).put("kind", f.kind).put("status", f.status)
        .put("progress", progress);
    if (item != null) {
      event.put("item", item);
    }
    vertx.eventBus().publish(Addresses.EVENTS_TASK, event);
  }

  /** {knowledge_base_id?, title, resource_ids} → the task, followed before any of its documents is queued. */
  private Future<JsonObject> reindex(JsonObject body) {
    Fields.text(body, "title", 500, true);
    return store(Addresses.STORE_TASK_CREATE, body.copy().put("kind", "reindex"))
        .compose(created -> track(created.getLong("task_id"), Set.of()));
  }

  private Future<JsonObject> get(long id) {
    return store(Addresses.STORE_TASK_GET, new JsonObject().put("id", id)).map(this::shape);
  }

  private Future<JsonObject> list(JsonObject body) {
    JsonObject paging = Pages.of(body);
    Object kind = body.getValue("kind");
    if (kind != null && !KINDS.contains(kind)) {
      throw ErrorCode.INVALID_REQUEST.exception("kind must be one of " + KINDS, "kind");
    }
    JsonObject query = paging.put("status", body.getValue("status")).put("kind", kind);
    return store(Addresses.STORE_TASK_LIST, query).map(page -> {
      JsonArray shaped = new JsonArray();
      page.getJsonArray("tasks").forEach(task -> shaped.add(shape((JsonObject) task)));
      return page.put("tasks", shaped);
    });
  }

  /**
   * Stops what has not started: queued files are taken off the queue and end cancelled; a file being processed
   * finishes (its item shows how). The task ends cancelled.
   */
  private Future<JsonObject> cancel(long id) {
    Followed f = followed.get(id);
    if (f == null) {
      return get(id).compose(task -> Future.failedFuture(ErrorCode.CONFLICT.exception("task " + id + " has ended ("
          + task.getString("status") + "); only a pending or running task can be cancelled", "id")));
    }
    List<Long> open = new ArrayList<>();
    f.outcomes.forEach((resource, outcome) -> {
      if (outcome == null) {
        open.add(resource);
      }
    });
    return Bus.request(vertx, Addresses.INGEST_CANCEL, new JsonObject().put("resource_ids", new JsonArray(open))
            .put("reason", "cancelled with task " + id), STORE_TIMEOUT_MS)
        .compose(stopped -> {
          List<JsonObject> ended = new ArrayList<>();
          for (Object resource : stopped.getJsonArray("cancelled")) {
            long cancelled = ((Number) resource).longValue();
            f.outcomes.put(cancelled, "cancelled");
            stopWaiting(id, cancelled);
            ended.add(new JsonObject().put("resource_id", cancelled).put("outcome", "cancelled")
                .put("error", "cancelled with task " + id));
          }
          if (followed.containsKey(id)) {
            changed(f, ended, TaskStatus.CANCELLED);
          }
          return get(id).map(task -> task.put("not_stopped", stopped.getJsonArray("running")));
        });
  }

  /** Queues the failed and cancelled items again; the task runs again. */
  private Future<JsonObject> retry(long id) {
    return store(Addresses.STORE_TASK_GET, new JsonObject().put("id", id)).compose(task -> {
      if (followed.containsKey(id)) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception("task " + id + " is still " + task.getString("status")
            + "; retry it once it has ended", "id"));
      }
      Set<Long> failed = new HashSet<>();
      for (Object entry : task.getJsonArray("items")) {
        JsonObject item = (JsonObject) entry;
        if (TaskStatus.FAILED_OUTCOMES.contains(item.getString("status"))) {
          failed.add(item.getLong("resource_id"));
        }
      }
      if (failed.isEmpty()) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception("task " + id + " has no failed or cancelled item to retry", "id"));
      }
      List<JsonObject> reopened = failed.stream()
          .map(resource -> new JsonObject().put("resource_id", resource).putNull("outcome")).toList();
      return store(Addresses.STORE_TASK_UPDATE, new JsonObject().put("id", id).put("status", TaskStatus.RUNNING)
              .put("reopened", true).put("items", new JsonArray(reopened)))
          .compose(v -> track(id, failed))
          .compose(shaped -> {
            Future<Void> chain = Future.succeededFuture();
            for (long resource : failed) {
              chain = chain.compose(v -> Bus.request(vertx, Addresses.INGEST_RETRY, new JsonObject().put("id", resource),
                      STORE_TIMEOUT_MS)
                  .<Void>mapEmpty()
                  .recover(e -> settle(id, resource, Failure.of(e).message())));
            }
            return chain.compose(v -> get(id)).map(t -> t.put("retried", failed.size()));
          });
    });
  }

  /**
   * An item whose file could not be queued again (it was running, or is gone): it ends as its resource stands, or,
   * still running, is left to its run's end.
   */
  private Future<Void> settle(long task, long resource, String why) {
    return Bus.request(vertx, Addresses.INGEST_STATUS, new JsonObject().put("id", resource), STORE_TIMEOUT_MS)
        .map(status -> status.getString("status"))
        .otherwise(e -> "deleted")
        .map(stage -> {
          Followed f = followed.get(task);
          if (f != null && List.of("done", "error", "deleted").contains(stage)) {
            LOG.info("task {}: resource {} was not queued again ({}); it is {}", task, resource, why, stage);
            end(f, resource, stage, "error".equals(stage) ? why : null);
          }
          return null;
        });
  }

  /** A task as clients see it: live progress for a followed one, the raw outcome fields dropped. */
  private JsonObject shape(JsonObject task) {
    Followed f = followed.get(task.getLong("task_id"));
    JsonArray items = task.getJsonArray("items");
    int progress;
    if (f != null) {
      progress = progress(f);
      task.put("status", f.status);
    } else {
      JsonObject counts = task.getJsonObject("counts");
      long total = counts.getLong("items");
      progress = total == 0 || TaskStatus.ENDED.contains(task.getString("status")) ? 100
          : (int) (100 * counts.getLong("finished") / total);
    }
    task.put("progress", progress);
    if (items != null) {
      items.forEach(item -> {
        ((JsonObject) item).remove("outcome");
        ((JsonObject) item).remove("indexed");
      });
    }
    return task;
  }

  private Future<JsonObject> store(String address, JsonObject body) {
    return Bus.request(vertx, address, body, STORE_TIMEOUT_MS);
  }
}
