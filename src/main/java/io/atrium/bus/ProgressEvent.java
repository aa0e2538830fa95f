package io.atrium.bus;

import io.vertx.core.json.JsonObject;

/**
 * Body of {@link Addresses#EVENTS_PROGRESS}: one resource's stage and percentage (0–100); while it embeds, also how
 * many of its chunks are done, of how many, and the seconds its embedding is estimated to need still (from its own
 * rate so far). The counts are null outside embedding, the estimate until a first chunk is done.
 */
public record ProgressEvent(long resourceId, Stage stage, int percentage, String error, Integer chunksDone,
    Integer chunksTotal, Long etaSeconds) {

  public ProgressEvent(long resourceId, Stage stage, int percentage, String error) {
    this(resourceId, stage, percentage, error, null, null, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("resource_id", resourceId)
        .put("stage", stage.word())
        .put("percentage", percentage);
    if (error != null) {
      json.put("error", error);
    }
    putCounts(json);
    return json;
  }

  /** chunks_done, chunks_total and eta_s, where known: the same fields in events, notifications and the status. */
  public JsonObject putCounts(JsonObject json) {
    if (chunksTotal != null) {
      json.put("chunks_done", chunksDone).put("chunks_total", chunksTotal);
    }
    if (etaSeconds != null) {
      json.put("eta_s", etaSeconds);
    }
    return json;
  }

  public static ProgressEvent fromJson(JsonObject json) {
    return new ProgressEvent(json.getLong("resource_id"), Stage.of(json.getString("stage")),
        json.getInteger("percentage", 0), json.getString("error"), json.getInteger("chunks_done"),
        json.getInteger("chunks_total"), json.getLong("eta_s"));
  }
}
