package io.atrium.sessions;

import io.vertx.core.json.JsonObject;

/**
 * One line of a coding-agent transcript, as it is stored: {@code uuid} is the line's own, or a name-based one
 * that is the same on every read of the same file; {@code content} is the whole line; {@code timestamp} is its
 * ISO instant as written, or null.
 */
public record SyncedMessage(String uuid, String type, JsonObject content, String timestamp, String line) {
  /** {@code line}: the content as read, stored as it is (encoding the parsed object again would cost as much). */
  public SyncedMessage(String uuid, String type, JsonObject content, String timestamp) {
    this(uuid, type, content, timestamp, null);
  }

  /** The content as stored: the line as read when there is one. */
  public String contentJson() {
    return line != null ? line : content.encode();
  }
}
