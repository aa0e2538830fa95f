package io.atrium.ingest;

import io.atrium.bus.ProgressEvent;
import io.atrium.bus.Stage;
import io.vertx.core.json.JsonObject;

/** The body of {@code GET /ingest/status/{id}}: seed 000's status word plus what a client needs to act on it. */
final class IngestStatus {
  private IngestStatus() {
  }

  static JsonObject of(JsonObject row, boolean waiting, ProgressEvent running) {
    Stage stage;
    Integer percentage;
    if (running != null) {
      stage = running.stage();
      percentage = running.percentage();
    } else if (waiting) {
      stage = Stage.TODO;
      percentage = 0;
    } else {
      stage = Stage.of(row.getString("processing_stage"));
      percentage = switch (stage) {
        case DONE -> 100;
        case TODO -> 0;
        default -> null; // interrupted mid-run: resumes at the next start
      };
      if ("error".equals(row.getString("sync_status")) && stage != Stage.TODO) {
        stage = Stage.ERROR;
        percentage = null;
      }
    }
    JsonObject status = new JsonObject()
        .put("resource_id", row.getLong("id"))
        .put("status", stage.word())
        .put("percentage", percentage)
        .put("sync_status", row.getString("sync_status"))
        .put("file_path", row.getString("file_path"))
        .put("chunk_count", row.getLong("chunk_count", 0L))
        .put("last_indexed_at", row.getString("last_indexed_at"))
        .put("last_error", row.getString("last_error"));
    return status;
  }
}
