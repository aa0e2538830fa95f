package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The SockJS event-bus bridge lets a client follow atrium.ui.* and nothing else. */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class EventBusBridgeTest {

  @Test
  void aBridgeClientFollowsNotificationsButCannotListenToInternalAddressesOrSend(Vertx vertx, @TempDir Path dataDir) {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    // SockJS's raw WebSocket transport: one bridge frame per message (the raw transport writes binary frames)
    try (EventLog frames = EventLog.onWebSocket(vertx, atrium.port, "/eventbus/websocket")) {
      WebSocket socket = frames.webSocket();
      socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "atrium.ui.notifications").encode()).await();
      socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "atrium.events.progress").encode()).await();
      socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "atrium.store.resource.delete")
          .put("body", new JsonObject().put("id", 1)).encode()).await();
      frames.awaitState("both refusals", Duration.ofSeconds(30), () -> refusals(frames), refusals -> refusals.size() == 2);

      long id = atrium.upload(AtriumHarness.doc("md/testMARKDOWN.md")).bodyAsJsonObject()
          .getJsonArray("resources").getJsonObject(0).getLong("resource_id");
      frames.await("the done notification through the bridge", Duration.ofMinutes(2),
          f -> "rec".equals(f.getString("type")) && "done".equals(f.getJsonObject("body").getString("status")));

      List<JsonObject> received = frames.received().stream().filter(f -> "rec".equals(f.getString("type"))).toList();
      // only the notifications address; besides the file's reports, the search index may announce it is ready
      // (its background start can end after the client connected)
      assertThat(received).allSatisfy(f -> assertThat(f.getString("address")).isEqualTo("atrium.ui.notifications"));
      assertThat(received.stream().map(f -> f.getJsonObject("body")).filter(b -> !"search_index".equals(b.getString("event"))))
          .isNotEmpty().allSatisfy(body -> assertThat(body.getLong("resource_id")).isEqualTo(id));
      assertThat(refusals(frames)).as("listening to an internal address and sending to the store are both refused")
          .containsExactly("access_denied", "access_denied");
      assertThat(atrium.get("/ingest/status/" + id).bodyAsJsonObject().getString("status")).isEqualTo("done");
    }
  }

  private static List<String> refusals(EventLog frames) {
    return frames.received().stream().filter(f -> "err".equals(f.getString("type"))).map(f -> f.getString("body")).toList();
  }
}
