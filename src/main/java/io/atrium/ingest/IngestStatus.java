package io.atrium.ingest;

import io.atrium.bus.Keys;
import io.atrium.bus.ProgressEvent;
import io.atrium.bus.ResourceRow;
import io.atrium.bus.Stage;
import io.atrium.storage.ClientPaths;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** The body of {@code GET /ingest/status/{id}}: seed 000's status word plus what a client needs to act on it. */
final class IngestStatus {
  private IngestStatus() {
  }

  /**
   * {@code dataDir}: an upload's path is shown relative to it (a client has no business with the server's folders);
   * a host app's own path stays as the host gave it.
   */
  static JsonObject of(ResourceRow row, boolean waiting, ProgressEvent running, Path dataDir) {
    Stage stage;
    Integer percentage;
    if (running != null) {
      stage = running.stage();
      percentage = running.percentage();
    } else if (waiting) {
      stage = Stage.TODO;
      percentage = 0;
    } else {
      stage = Stage.of(row.processingStage());
      percentage = switch (stage) {
        case DONE -> 100;
        case TODO -> 0;
        default -> null; // interrupted mid-run: resumes at the next start
      };
      if ("error".equals(row.syncStatus()) && stage != Stage.TODO) {
        stage = Stage.ERROR;
        percentage = null;
      }
    }
    JsonObject status = new JsonObject()
        .put(Keys.RESOURCE_ID, row.id())
        .put(Keys.STATUS, stage.word())
        .put("percentage", percentage)
        .put(Keys.SYNC_STATUS, row.syncStatus())
        .put(Keys.FILE_PATH, ClientPaths.shown(row.filePath(), dataDir))
        .put(Keys.CHUNK_COUNT, row.chunkCount())
        .put(Keys.LAST_INDEXED_AT, row.lastIndexedAt())
        .put(Keys.LAST_ERROR, row.lastError());
    return running == null ? status : running.putCounts(status);
  }
}
