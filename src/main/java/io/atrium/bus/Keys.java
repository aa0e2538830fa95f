package io.atrium.bus;

/**
 * Field names that more than one body shares. The typed bodies in this package use them, so a name that is part of the
 * wire contract ({@code verticles.md}) is spelled once.
 */
public final class Keys {
  public static final String ID = "id";
  public static final String RESOURCE_ID = "resource_id";
  public static final String CHUNK_ID = "chunk_id";
  public static final String TASK_ID = "task_id";
  public static final String SESSION_ID = "session_id";
  public static final String REQUEST_ID = "request_id";
  public static final String FILE_PATH = "file_path";
  public static final String FILE_HASH = "file_hash";
  public static final String FILE_TYPE = "file_type";
  public static final String INDEXED_HASH = "indexed_hash";
  public static final String PROCESSING_HASH = "processing_hash";
  public static final String SYNC_STATUS = "sync_status";
  public static final String PROCESSING_STAGE = "processing_stage";
  public static final String LAST_INDEXED_AT = "last_indexed_at";
  public static final String LAST_ERROR = "last_error";
  public static final String CHUNK_COUNT = "chunk_count";
  public static final String MODEL = "model";
  public static final String DIMENSION = "dimension";
  public static final String CHUNKS = "chunks";
  public static final String TEXT = "text";
  public static final String PAGE = "page";
  public static final String STATUS = "status";
  public static final String REASON = "reason";
  public static final String CONTENT = "content";
  public static final String USAGE = "usage";
  public static final String CITATIONS = "citations";
  public static final String CREATED_AT = "created_at";
  public static final String UPDATED_AT = "updated_at";

  private Keys() {
  }
}
