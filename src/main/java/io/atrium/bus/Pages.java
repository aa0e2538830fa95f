package io.atrium.bus;

import io.vertx.core.json.JsonObject;

/**
 * The paging of every list clients read: {@code limit} 1..200 (default 50) and {@code cursor}, the
 * {@code next_cursor} a page before gave (an id, as text); a wrong one is a 400 naming it.
 */
public final class Pages {
  public static final int MAX = 200;
  public static final int DEFAULT = 50;

  private Pages() {
  }

  /** {limit, cursor (0: from the start)} of a list request. */
  public static JsonObject of(JsonObject body) {
    Object limit = body.getValue("limit");
    if (limit != null && (!(limit instanceof Integer || limit instanceof Long) || ((Number) limit).longValue() < 1
        || ((Number) limit).longValue() > MAX)) {
      throw ErrorCode.INVALID_REQUEST.exception("limit must be an integer in 1.." + MAX, "limit");
    }
    Object cursor = body.getValue("cursor");
    long after = 0;
    if (cursor != null) {
      if (!(cursor instanceof String text) || !text.matches("[0-9]{1,18}")) {
        throw ErrorCode.INVALID_REQUEST.exception("cursor must be a next_cursor this API returned", "cursor");
      }
      after = Long.parseLong(text);
    }
    return new JsonObject().put("limit", limit == null ? DEFAULT : ((Number) limit).intValue()).put("cursor", after);
  }
}
