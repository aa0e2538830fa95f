package io.atrium.bus;

import static io.atrium.bus.Keys.CHUNK_COUNT;
import static io.atrium.bus.Keys.FILE_HASH;
import static io.atrium.bus.Keys.FILE_PATH;
import static io.atrium.bus.Keys.FILE_TYPE;
import static io.atrium.bus.Keys.ID;
import static io.atrium.bus.Keys.INDEXED_HASH;
import static io.atrium.bus.Keys.LAST_ERROR;
import static io.atrium.bus.Keys.LAST_INDEXED_AT;
import static io.atrium.bus.Keys.PROCESSING_HASH;
import static io.atrium.bus.Keys.PROCESSING_STAGE;
import static io.atrium.bus.Keys.SYNC_STATUS;
import static io.atrium.bus.Keys.TASK_ID;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Reply of {@link Addresses#STORE_RESOURCE_GET}: seed 000's resource columns (the host app's and atrium's own) and
 * how many chunks the resource has.
 */
public record ResourceRow(long id, String filePath, String fileHash, String fileType, Long taskId, String syncStatus,
    String indexedHash, String processingHash, String lastIndexedAt, String processingStage, String lastError,
    long chunkCount) {

  /** The table's columns in the order of this record (without the derived {@code chunk_count}). */
  public static final List<String> COLUMNS = List.of(ID, FILE_PATH, FILE_HASH, FILE_TYPE, TASK_ID, SYNC_STATUS,
      INDEXED_HASH, PROCESSING_HASH, LAST_INDEXED_AT, PROCESSING_STAGE, LAST_ERROR);

  /** Seed 000's rule: a file needs indexing when it has no hash yet or its hash is not the indexed one. */
  public boolean needsIndexing() {
    return fileHash == null || !fileHash.equals(indexedHash);
  }

  /** Whether the last run ended in error (either word: the stage or the host's sync status). */
  public boolean inError() {
    return Stage.ERROR.word().equals(processingStage) || "error".equals(syncStatus);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(ID, id)
        .put(FILE_PATH, filePath)
        .put(FILE_HASH, fileHash)
        .put(FILE_TYPE, fileType)
        .put(TASK_ID, taskId)
        .put(SYNC_STATUS, syncStatus)
        .put(INDEXED_HASH, indexedHash)
        .put(PROCESSING_HASH, processingHash)
        .put(LAST_INDEXED_AT, lastIndexedAt)
        .put(PROCESSING_STAGE, processingStage)
        .put(LAST_ERROR, lastError)
        .put(CHUNK_COUNT, chunkCount);
  }

  public static ResourceRow fromJson(JsonObject json) {
    return new ResourceRow(json.getLong(ID), json.getString(FILE_PATH), json.getString(FILE_HASH),
        json.getString(FILE_TYPE), json.getLong(TASK_ID), json.getString(SYNC_STATUS), json.getString(INDEXED_HASH),
        json.getString(PROCESSING_HASH), json.getString(LAST_INDEXED_AT), json.getString(PROCESSING_STAGE),
        json.getString(LAST_ERROR), json.getLong(CHUNK_COUNT, 0L));
  }
}
