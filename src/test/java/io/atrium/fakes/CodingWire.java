package io.atrium.fakes;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One provider's wire format, for the few kinds of answer {@link FakeCodingModelServer} gives. */
interface CodingWire {
  /** An answer both ways: the SSE events (each ending with its blank line) and the whole JSON body. */
  record Reply(List<String> events, JsonObject whole) {
  }

  boolean keyAccepted(HttpServerRequest request, String key);

  UserTurns.Seen seen(JsonObject request);

  /** A request the CLI makes beside the conversation (OpenCode's session title): not a turn, never scripted. */
  boolean isSideRequest(JsonObject request);

  /** A text answer streamed as {@code pieces}, one delta each. */
  Reply text(String model, List<String> pieces);

  /** A call of the CLI's shell tool with {@code command}. */
  Reply toolUse(String model, String command);

  /** The provider's error body for {@code status}; {@code message} null for its usual wording. */
  JsonObject error(int status, String message);

  JsonObject models();

  /** Splits an answer into deltas of a few words, so a client sees more than one. */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    String[] words = text.split("(?<= )");
    StringBuilder piece = new StringBuilder();
    for (int i = 0; i < words.length; i++) {
      piece.append(words[i]);
      if (i % 3 == 2 || i == words.length - 1) {
        pieces.add(piece.toString());
        piece.setLength(0);
      }
    }
    return pieces;
  }

  static String id(String prefix) {
    return prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }
}
