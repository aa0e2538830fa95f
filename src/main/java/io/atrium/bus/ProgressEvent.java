package io.atrium.bus;

import io.vertx.core.json.JsonObject;

/** Body of {@link Addresses#EVENTS_PROGRESS}: one resource's stage and percentage (0–100). */
public record ProgressEvent(long resourceId, Stage stage, int percentage, String error) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("resource_id", resourceId)
        .put("stage", stage.word())
        .put("percentage", percentage);
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }

  public static ProgressEvent fromJson(JsonObject json) {
    return new ProgressEvent(json.getLong("resource_id"), Stage.of(json.getString("stage")),
        json.getInteger("percentage", 0), json.getString("error"));
  }
}
