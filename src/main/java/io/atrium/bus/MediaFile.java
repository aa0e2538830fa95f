package io.atrium.bus;

import static io.atrium.bus.Keys.CREATED_AT;
import static io.atrium.bus.Keys.ID;
import static io.atrium.bus.Keys.REASON;
import static io.atrium.bus.Keys.STATUS;
import static io.atrium.bus.Keys.UPDATED_AT;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A file of the media organiser as the store answers it ({@link Addresses#STORE_MEDIA_GET}, {@code .list}, the
 * claims) and the media API shows it: where it is, its status and why, what was recognised, the TMDB match and the
 * link made.
 */
public record MediaFile(long id, String path, String relativePath, long size, String status, String reason,
    String mediaType, String title, Integer year, Integer season, Integer episode, String recognizedBy, Long tmdbId,
    String tmdbTitle, Integer tmdbYear, String targetPath, int attempts, String createdAt, String updatedAt,
    Long device, Long inode) {
  public static final String PATH = "path";
  public static final String RELATIVE_PATH = "relative_path";
  public static final String SIZE = "size";
  public static final String MEDIA_TYPE = "media_type";
  public static final String TITLE = "title";
  public static final String YEAR = "year";
  public static final String SEASON = "season";
  public static final String EPISODE = "episode";
  public static final String RECOGNIZED_BY = "recognized_by";
  public static final String TMDB_ID = "tmdb_id";
  public static final String TMDB_TITLE = "tmdb_title";
  public static final String TMDB_YEAR = "tmdb_year";
  public static final String TARGET_PATH = "target_path";
  public static final String ATTEMPTS = "attempts";
  /** The file's identity at the scan: what is linked later must still be that file. */
  public static final String DEVICE = "device";
  public static final String INODE = "inode";

  /** The table's columns in the order of this record. */
  public static final List<String> COLUMNS = List.of(ID, PATH, RELATIVE_PATH, SIZE, STATUS, REASON, MEDIA_TYPE, TITLE,
      YEAR, SEASON, EPISODE, RECOGNIZED_BY, TMDB_ID, TMDB_TITLE, TMDB_YEAR, TARGET_PATH, ATTEMPTS, CREATED_AT, UPDATED_AT,
      DEVICE, INODE);

  public JsonObject toJson() {
    return new JsonObject()
        .put(ID, id)
        .put(PATH, path)
        .put(RELATIVE_PATH, relativePath)
        .put(SIZE, size)
        .put(STATUS, status)
        .put(REASON, reason)
        .put(MEDIA_TYPE, mediaType)
        .put(TITLE, title)
        .put(YEAR, year)
        .put(SEASON, season)
        .put(EPISODE, episode)
        .put(RECOGNIZED_BY, recognizedBy)
        .put(TMDB_ID, tmdbId)
        .put(TMDB_TITLE, tmdbTitle)
        .put(TMDB_YEAR, tmdbYear)
        .put(TARGET_PATH, targetPath)
        .put(ATTEMPTS, attempts)
        .put(CREATED_AT, createdAt)
        .put(UPDATED_AT, updatedAt)
        .put(DEVICE, device)
        .put(INODE, inode);
  }

  public static MediaFile fromJson(JsonObject json) {
    return new MediaFile(json.getLong(ID), json.getString(PATH), json.getString(RELATIVE_PATH), json.getLong(SIZE, 0L),
        json.getString(STATUS), json.getString(REASON), json.getString(MEDIA_TYPE), json.getString(TITLE),
        json.getInteger(YEAR), json.getInteger(SEASON), json.getInteger(EPISODE), json.getString(RECOGNIZED_BY),
        json.getLong(TMDB_ID), json.getString(TMDB_TITLE), json.getInteger(TMDB_YEAR), json.getString(TARGET_PATH),
        json.getInteger(ATTEMPTS, 0), json.getString(CREATED_AT), json.getString(UPDATED_AT), json.getLong(DEVICE),
        json.getLong(INODE));
  }
}
