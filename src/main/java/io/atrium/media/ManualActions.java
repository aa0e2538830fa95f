package io.atrium.media;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.atrium.bus.Keys;
import io.atrium.bus.MediaFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a user does by hand: process a FAILED or CONFLICT file again, or link a file to the TMDB entry they chose.
 * Each claims the file first (so it cannot race a processor), then records the outcome like the queue does.
 */
final class ManualActions {
  private static final long STORE_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final MediaProcessor processor;
  private final MediaQueue queue;

  ManualActions(Vertx vertx, MediaProcessor processor, MediaQueue queue) {
    this.vertx = vertx;
    this.processor = processor;
    this.queue = queue;
  }

  Future<JsonObject> retry(JsonObject body) {
    return claimOne(body, "FAILED", "CONFLICT").compose(file -> processor.process(file).compose(outcome -> queue.record(file, outcome)
        .map(v -> outcome)));
  }

  Future<JsonObject> match(JsonObject body) {
    long tmdbId = Fields.positiveLong(body, "tmdb_id");
    String type = body.getValue("type") instanceof String t ? t : "";
    if (!type.equals("movie") && !type.equals("episode")) {
      throw ErrorCode.INVALID_REQUEST.exception("type must be \"movie\" or \"episode\"", "type");
    }
    Integer season = number(body, "season");
    Integer episode = number(body, "episode");
    if (type.equals("episode") && episode == null) {
      throw ErrorCode.INVALID_REQUEST.exception("an episode needs its episode number", "episode");
    }
    return claimOne(body, "PENDING", "FAILED", "CONFLICT", "COMPLETED")
        .compose(file -> processor.processMatch(file, tmdbId, type, season, episode)
            .compose(outcome -> queue.record(file, outcome).map(v -> outcome)));
  }

  private Future<MediaFile> claimOne(JsonObject body, String... from) {
    return Bus.request(vertx, Addresses.STORE_MEDIA_CLAIM_ONE, new JsonObject().put(Keys.ID, body.getLong(Keys.ID))
            .put("from", new JsonArray(List.of(from))), STORE_TIMEOUT_MS)
        .map(claimed -> MediaFile.fromJson(claimed.getJsonObject("file")));
  }

  private static Integer number(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer n) || n < 0) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be a non-negative integer", field);
    }
    return n;
  }

}
