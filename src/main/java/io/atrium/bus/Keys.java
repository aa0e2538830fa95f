package io.atrium.bus;

/**
 * Field names that more than one verticle reads or writes in event-bus bodies, spelled once. A name only one class
 * uses stays beside that class's record.
 */
public final class Keys {
  public static final String ID = "id";
  public static final String RESOURCE_ID = "resource_id";
  public static final String RESOURCE_IDS = "resource_ids";
  public static final String CHUNK_ID = "chunk_id";
  public static final String CHUNK_IDS = "chunk_ids";
  public static final String CHUNKS = "chunks";
  public static final String CHUNK_COUNT = "chunk_count";
  public static final String TASK_ID = "task_id";
  public static final String SESSION_ID = "session_id";
  public static final String REQUEST_ID = "request_id";
  public static final String FILE_PATH = "file_path";
  public static final String FILE_TYPE = "file_type";
  public static final String FILE_HASH = "file_hash";
  public static final String INDEXED_HASH = "indexed_hash";
  public static final String PROCESSING_HASH = "processing_hash";
  public static final String SYNC_STATUS = "sync_status";
  public static final String PROCESSING_STAGE = "processing_stage";
  public static final String LAST_ERROR = "last_error";
  public static final String LAST_INDEXED_AT = "last_indexed_at";
  public static final String STAGE = "stage";
  public static final String STATUS = "status";
  public static final String ERROR = "error";
  public static final String MODEL = "model";
  public static final String PROVIDER = "provider";
  public static final String TEXT = "text";
  public static final String PAGE = "page";
  public static final String QUERY = "query";
  public static final String RESULTS = "results";
  public static final String ACTION = "action";
  public static final String SEQ = "seq";

  private Keys() {
  }
}
