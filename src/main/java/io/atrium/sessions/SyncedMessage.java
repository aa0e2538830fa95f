package io.atrium.sessions;

import io.vertx.core.json.JsonObject;

/**
 * A message that arrived whole (one of {@code opencode export}'s), as it is stored: {@code uuid} is the message's
 * own id, {@code content} the whole message, {@code timestamp} its ISO instant or null.
 */
public record SyncedMessage(String uuid, String type, JsonObject content, String timestamp) {
}
