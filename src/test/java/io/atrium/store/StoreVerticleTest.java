package io.atrium.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.bus.Addresses;
import io.atrium.bus.Vectors;
import io.atrium.e2e.NoBlockedThreads;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store on its own, through the bus only: StoreVerticle (the writer, one worker as atrium deploys it) and
 * StoreReadVerticle on a fresh SQLite file. Every request answers, and at once: a reply, or a failure whose code is
 * the HTTP status verticles.md gives it (404 unknown id, 400 a required field missing or of the wrong type). A
 * request that gets no answer fails after two seconds, as a timeout, instead of passing.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class StoreVerticleTest {
  private static final DeliveryOptions AT_ONCE = new DeliveryOptions().setSendTimeout(2_000);

  @BeforeEach
  void deployTheStoreAlone(Vertx vertx, @TempDir Path dir) {
    JsonObject config = new JsonObject().put("db_path", dir.resolve("atrium.db").toString());
    vertx.deployVerticle(new StoreVerticle(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName("atrium-store").setWorkerPoolSize(1).setConfig(config)).await();
    vertx.deployVerticle(new StoreReadVerticle(), new DeploymentOptions().setConfig(config.copy().put("read_pool_size", 2)))
        .await();
  }

  @Test
  void createdResourcesAreReadBackWithTheTaskGroupingThem(Vertx vertx, VertxTestContext ctx) {
    Checkpoint created = ctx.checkpoint();
    Checkpoint readBack = ctx.checkpoint(2);
    request(vertx, Addresses.STORE_RESOURCE_CREATE, twoUploads())
        .compose(reply -> {
          ctx.verify(() -> {
            assertThat(reply.getLong("task_id")).isNotNull();
            assertThat(reply.getJsonArray("resource_ids")).hasSize(2);
          });
          created.flag();
          long taskId = reply.getLong("task_id");
          return Future.all(reply.getJsonArray("resource_ids").stream()
              .map(id -> request(vertx, Addresses.STORE_RESOURCE_GET, new JsonObject().put("id", id))
                  .onComplete(ctx.succeeding(row -> ctx.verify(() -> {
                    assertThat(row.getLong("id")).isEqualTo(id);
                    assertThat(row.getLong("task_id")).isEqualTo(taskId);
                    assertThat(row.getString("sync_status")).isEqualTo("pending");
                    assertThat(row.getString("processing_stage")).isEqualTo("todo");
                    assertThat(row.getLong("chunk_count")).isZero();
                    readBack.flag();
                  }))))
              .toList());
        })
        .onFailure(ctx::failNow);
  }

  @Test
  void replacedChunksAreAnnouncedAfterTheCommitAndMarkTheResourceDone(Vertx vertx, VertxTestContext ctx) {
    Checkpoint replied = ctx.checkpoint();
    Checkpoint announced = ctx.checkpoint();
    Checkpoint readBack = ctx.checkpoint();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_INDEX_CHANGED, event -> ctx.verify(() -> {
      assertThat(event.body().getString("action")).isEqualTo("replaced");
      assertThat(event.body().getInteger("chunks")).isEqualTo(2);
      assertThat(event.body().getLong("seq")).isPositive();
      announced.flag();
    })).completion()
        .compose(v -> request(vertx, Addresses.STORE_RESOURCE_CREATE, oneUpload()))
        .map(created -> created.getJsonArray("resource_ids").getLong(0))
        .compose(id -> request(vertx, Addresses.STORE_RESOURCE_STAGE, new JsonObject().put("id", id).put("stage", "embedding")
                .put("processing_hash", "hash-1").put("file_hash", "hash-1"))
            .compose(v -> request(vertx, Addresses.STORE_CHUNKS_REPLACE, new JsonObject().put("resource_id", id)
                .put("indexed_hash", "hash-1").put("model", "test-model").put("chunks", twoChunks())))
            .compose(reply -> {
              ctx.verify(() -> assertThat(reply).isEqualTo(new JsonObject().put("resource_id", id).put("chunks", 2)));
              replied.flag();
              return request(vertx, Addresses.STORE_RESOURCE_GET, new JsonObject().put("id", id));
            }))
        .onComplete(ctx.succeeding(row -> ctx.verify(() -> {
          assertThat(row.getString("processing_stage")).isEqualTo("done");
          assertThat(row.getString("indexed_hash")).isEqualTo("hash-1");
          assertThat(row.getString("sync_status")).isEqualTo("synced");
          assertThat(row.getString("processing_hash")).isNull();
          assertThat(row.getLong("chunk_count")).isEqualTo(2);
          readBack.flag();
        })));
  }

  @Test
  void aDeletedUploadIsAnnouncedAsRemovedAndIsGone(Vertx vertx, VertxTestContext ctx) {
    Checkpoint deleted = ctx.checkpoint();
    Checkpoint announced = ctx.checkpoint();
    Checkpoint gone = ctx.checkpoint();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_INDEX_CHANGED, event -> ctx.verify(() -> {
      assertThat(event.body().getString("action")).isEqualTo("removed");
      assertThat(event.body().getLong("seq")).isPositive();
      announced.flag();
    })).completion()
        .compose(v -> request(vertx, Addresses.STORE_RESOURCE_CREATE, oneUpload()))
        .map(created -> created.getJsonArray("resource_ids").getLong(0))
        .compose(id -> request(vertx, Addresses.STORE_RESOURCE_DELETE, new JsonObject().put("id", id))
            .compose(reply -> {
              ctx.verify(() -> assertThat(reply).isEqualTo(new JsonObject().put("resource_id", id).put("existed", true)
                  .put("row_removed", true).put("file_path", "/uploads/1/notes.md")));
              deleted.flag();
              return request(vertx, Addresses.STORE_RESOURCE_GET, new JsonObject().put("id", id));
            }))
        .onComplete(refused(ctx, 404, gone));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource
  void anUnknownIdIs404(String address, JsonObject body, Vertx vertx, VertxTestContext ctx) {
    request(vertx, address, body).onComplete(refused(ctx, 404, ctx.checkpoint()));
  }

  static Stream<Arguments> anUnknownIdIs404() {
    return Stream.of(
        Arguments.of(Addresses.STORE_RESOURCE_GET, new JsonObject().put("id", 999)),
        Arguments.of(Addresses.STORE_RESOURCE_STAGE, new JsonObject().put("id", 999).put("stage", "chunking")),
        Arguments.of(Addresses.STORE_RESOURCE_FAIL, new JsonObject().put("id", 999).put("error", "unreadable")),
        Arguments.of(Addresses.STORE_CHUNKS_REPLACE, new JsonObject().put("resource_id", 999).put("indexed_hash", "h")
            .put("model", "test-model").put("chunks", twoChunks())),
        Arguments.of(Addresses.STORE_RESOURCE_CREATE, oneUpload().put("task_id", 999)),
        Arguments.of(Addresses.STORE_SUGGESTION_SAVE, new JsonObject().put("id", 999).put("status", "done")),
        Arguments.of(Addresses.STORE_SUGGESTION_GET, new JsonObject().put("id", 999)),
        Arguments.of(Addresses.STORE_MEDIA_GET, new JsonObject().put("id", 999)),
        Arguments.of(Addresses.STORE_MEDIA_CLAIM_ONE, new JsonObject().put("id", 999).put("from", new JsonArray().add("FAILED"))),
        Arguments.of(Addresses.STORE_MEDIA_FINISH, new JsonObject().put("id", 999).put("status", "COMPLETED")),
        Arguments.of(Addresses.STORE_CHAT_SESSION_CREATE, new JsonObject().put("title", "t").put("resource_id", 999)),
        Arguments.of(Addresses.STORE_CHAT_SESSION_GET, new JsonObject().put("session_id", 999)),
        Arguments.of(Addresses.STORE_CHAT_MESSAGES_APPEND, new JsonObject().put("session_id", 999).put("messages", new JsonArray())));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource
  void aMissingRequiredFieldIs400(String address, JsonObject body, Vertx vertx, VertxTestContext ctx) {
    request(vertx, address, body).onComplete(refused(ctx, 400, ctx.checkpoint()));
  }

  static Stream<Arguments> aMissingRequiredFieldIs400() {
    return Stream.of(
        Arguments.of(Addresses.STORE_RESOURCE_GET, new JsonObject()),
        Arguments.of(Addresses.STORE_RESOURCE_STAGE, new JsonObject().put("stage", "chunking")),
        Arguments.of(Addresses.STORE_RESOURCE_FAIL, new JsonObject().put("error", "unreadable")),
        Arguments.of(Addresses.STORE_CHUNKS_REPLACE, new JsonObject().put("indexed_hash", "h").put("model", "m").put("chunks", twoChunks())),
        Arguments.of(Addresses.STORE_RESOURCE_DELETE, new JsonObject()),
        Arguments.of(Addresses.STORE_RESOURCE_CREATE, new JsonObject().put("files", new JsonArray()
            .add(new JsonObject().put("file_name", "notes.md").put("file_type", "md")))),
        Arguments.of(Addresses.STORE_SUGGESTION_SAVE, new JsonObject().put("kind", "tag").put("model", "gpt-4o-mini")),
        Arguments.of(Addresses.STORE_SUGGESTION_SAVE, new JsonObject().put("id", 1)),
        Arguments.of(Addresses.STORE_SUGGESTION_GET, new JsonObject()),
        Arguments.of(Addresses.STORE_MEDIA_GET, new JsonObject()),
        Arguments.of(Addresses.STORE_MEDIA_CLAIM_ONE, new JsonObject().put("from", new JsonArray().add("FAILED"))),
        Arguments.of(Addresses.STORE_MEDIA_FINISH, new JsonObject().put("status", "COMPLETED")),
        Arguments.of(Addresses.STORE_MEDIA_FINISH, new JsonObject().put("id", 1).put("status", "DONE")),
        Arguments.of(Addresses.STORE_CHAT_SESSION_CREATE, new JsonObject()),
        Arguments.of(Addresses.STORE_CHAT_SESSION_GET, new JsonObject()),
        Arguments.of(Addresses.STORE_CHAT_MESSAGES_APPEND, new JsonObject().put("messages", new JsonArray())));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource
  void aFieldOfTheWrongTypeIs400AtOnce(String address, JsonObject body, Vertx vertx, VertxTestContext ctx) {
    request(vertx, address, body).onComplete(refused(ctx, 400, ctx.checkpoint()));
  }

  static Stream<Arguments> aFieldOfTheWrongTypeIs400AtOnce() {
    return Stream.of(
        Arguments.of(Addresses.STORE_RESOURCE_GET, new JsonObject().put("id", "abc")),
        Arguments.of(Addresses.STORE_RESOURCE_STAGE, new JsonObject().put("id", "abc").put("stage", "chunking")),
        Arguments.of(Addresses.STORE_RESOURCE_FAIL, new JsonObject().put("id", "abc").put("error", "unreadable")),
        Arguments.of(Addresses.STORE_RESOURCE_DELETE, new JsonObject().put("id", "abc")),
        Arguments.of(Addresses.STORE_CHUNKS_REPLACE, new JsonObject().put("resource_id", "abc").put("chunks", twoChunks())),
        Arguments.of(Addresses.STORE_CHUNKS_REPLACE, new JsonObject().put("resource_id", 1).put("chunks", "all of them")),
        Arguments.of(Addresses.STORE_RESOURCE_CREATE, new JsonObject().put("files", "notes.md")),
        Arguments.of(Addresses.STORE_RESOURCE_CREATE, oneUpload().put("task_id", "abc")),
        Arguments.of(Addresses.STORE_SUGGESTION_SAVE, new JsonObject().put("id", "abc").put("status", "done")),
        Arguments.of(Addresses.STORE_SUGGESTION_GET, new JsonObject().put("id", "abc")),
        Arguments.of(Addresses.STORE_MEDIA_UPSERT, new JsonObject().put("files", "x.mkv")),
        Arguments.of(Addresses.STORE_MEDIA_CLAIM, new JsonObject().put("claim_timeout_s", "soon")),
        Arguments.of(Addresses.STORE_MEDIA_CLAIM_ONE, new JsonObject().put("id", "abc").put("from", new JsonArray().add("FAILED"))),
        Arguments.of(Addresses.STORE_MEDIA_FINISH, new JsonObject().put("id", "abc").put("status", "COMPLETED")),
        Arguments.of(Addresses.STORE_MEDIA_GET, new JsonObject().put("id", "abc")),
        Arguments.of(Addresses.STORE_MEDIA_LIST, new JsonObject().put("limit", "ten")),
        Arguments.of(Addresses.STORE_CHAT_SESSION_CREATE, new JsonObject().put("title", "t").put("task_id", "abc")),
        Arguments.of(Addresses.STORE_CHAT_SESSION_GET, new JsonObject().put("session_id", "abc")),
        Arguments.of(Addresses.STORE_CHAT_MESSAGES_APPEND, new JsonObject().put("session_id", "abc").put("messages", new JsonArray())));
  }

  private static Future<JsonObject> request(Vertx vertx, String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, AT_ONCE).map(Message::body);
  }

  /** Expects a failure answer (not a timeout) with this code and the matching JSON error body; then flags. */
  private static io.vertx.core.Handler<io.vertx.core.AsyncResult<JsonObject>> refused(VertxTestContext ctx, int code,
      Checkpoint checkpoint) {
    return ctx.failing(e -> ctx.verify(() -> {
      assertThat(e).isInstanceOf(ReplyException.class);
      ReplyException failure = (ReplyException) e;
      assertThat(failure.failureType()).as("the store answered (%s)", failure.getMessage()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(failure.failureCode()).as(failure.getMessage()).isEqualTo(code);
      assertThat(new JsonObject(failure.getMessage()).getString("code")).isEqualTo(code == 404 ? "not_found" : "invalid_request");
      checkpoint.flag();
    }));
  }

  private static JsonObject oneUpload() {
    return new JsonObject().put("task_title", "reading").put("files", new JsonArray()
        .add(new JsonObject().put("file_path", "/uploads/1/notes.md").put("file_name", "notes.md").put("file_type", "md")));
  }

  private static JsonObject twoUploads() {
    JsonObject uploads = oneUpload();
    uploads.getJsonArray("files").add(new JsonObject().put("file_path", "/uploads/2/paper.pdf").put("file_name", "paper.pdf")
        .put("file_type", "pdf"));
    return uploads;
  }

  /** Two chunks in the embed reply's shape. */
  private static JsonArray twoChunks() {
    return new JsonArray()
        .add(chunk(0, "Quokkas live on Rottnest Island.", 0, 33))
        .add(chunk(1, "They are small marsupials.", 34, 60));
  }

  private static JsonObject chunk(int index, String text, int start, int end) {
    return new JsonObject().put("index", index).put("text", text).put("page", 1).put("start", start).put("end", end)
        .put("tokens", 8).put("vector", Vectors.toBase64(new float[] {index, 1 - index, 0.5f}));
  }
}
