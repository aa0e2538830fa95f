package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Knowledge bases (issue 15): each with its own chunk settings, documents uploaded into one, listed with their status
 * and chunk counts, found by a search kept inside one base, re-indexed when the base's chunk settings change, deleted
 * with their chunks; the same bytes uploaded twice into one base are recognised.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KnowledgeBasesTest {
  AtriumHarness atrium;
  Path files;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dataDir, @TempDir Path files) {
    atrium = new AtriumHarness(vertx, dataDir).start();
    this.files = files;
  }

  @Test
  void aBaseIsCreatedWithItsOwnChunkSettingsAndListedWithTheDefaultBase() {
    JsonObject base = create(new JsonObject().put("name", "handbooks").put("description", "team handbooks")
        .put("chunk", new JsonObject().put("size", 120).put("overlap", 10)));
    assertThat(base.getString("name")).isEqualTo("handbooks");
    assertThat(base.getJsonObject("chunk")).isEqualTo(new JsonObject().put("size", 120).put("overlap", 10)
        .put("configured_default", false));
    assertThat(base.getString("embedding_model")).isNotBlank();
    assertThat(base.getLong("document_count")).isZero();
    assertThat(base.getString("created_at")).isNotBlank();

    JsonObject fetched = atrium.get("/api/v1/knowledge-bases/" + base.getLong("id")).bodyAsJsonObject();
    assertThat(fetched).isEqualTo(base);
    List<String> names = names(atrium.get("/api/v1/knowledge-bases?limit=200").bodyAsJsonObject());
    assertThat(names).contains("default", "handbooks");
  }

  @Test
  void listsArePagedWithACursor() {
    for (int i = 0; i < 3; i++) {
      create(new JsonObject().put("name", "paged-" + i));
    }
    JsonObject first = atrium.get("/api/v1/knowledge-bases?limit=2").bodyAsJsonObject();
    assertThat(first.getJsonArray("knowledge_bases")).hasSize(2);
    assertThat(first.getString("next_cursor")).isNotNull();
    JsonObject second = atrium.get("/api/v1/knowledge-bases?limit=2&cursor=" + first.getString("next_cursor")).bodyAsJsonObject();
    assertThat(names(second)).doesNotContainAnyElementsOf(names(first));
  }

  @Test
  void badFieldsAreRefusedNamingTheFieldAndChangeNothing() {
    create(new JsonObject().put("name", "taken"));
    assertRefused(atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "taken")), 409, "name");
    assertRefused(atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "")), 400, "name");
    assertRefused(atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "big")
        .put("chunk", new JsonObject().put("size", 5000))), 400, "chunk.size");
    assertRefused(atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "overlapping")
        .put("chunk", new JsonObject().put("size", 100).put("overlap", 80))), 400, "chunk.overlap");
    assertRefused(atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "model")
        .put("embedding_model", "text-embedding-3-large")), 400, "embedding_model");
    assertRefused(atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "hook")
        .put("callback_url", "file:///etc/passwd")), 400, "callback_url");
    assertRefused(atrium.post("/api/v1/knowledge-bases", new JsonObject().put("name", "odd").put("colour", "red")), 400, "colour");
    assertRefused(atrium.get("/api/v1/knowledge-bases?limit=0"), 400, "limit");
    assertRefused(atrium.get("/api/v1/knowledge-bases?cursor=abc"), 400, "cursor");
    assertRefused(atrium.get("/api/v1/knowledge-bases/999999"), 404, "id");
    assertRefused(send(HttpMethod.DELETE, "/api/v1/knowledge-bases/1", null), 409, "id");
    assertRefused(atrium.get("/api/v1/documents?status=finished"), 400, "status");
    List<String> names = names(atrium.get("/api/v1/knowledge-bases?limit=200").bodyAsJsonObject());
    assertThat(names).doesNotContain("big", "overlapping", "model", "hook", "odd");
  }

  @Test
  void documentsUploadedIntoABaseAreListedAndFoundOnlyInsideIt() throws IOException {
    long alpine = create(new JsonObject().put("name", "alpine")).getLong("id");
    long marine = create(new JsonObject().put("name", "marine")).getLong("id");
    JsonObject uploaded = uploadInto(alpine, text("glaciers.txt", "Glaciers carve cirques and moraines in the high "
        + "Alps; the glacier retreat has been measured every summer since 1880."), text("passes.txt", "Mountain "
        + "passes such as the Great St Bernard were crossed by pilgrims."));
    assertThat(uploaded.getLong("task_id")).isNotNull();
    JsonArray documents = uploaded.getJsonArray("documents");
    assertThat(documents).hasSize(2);
    assertThat(documents.getJsonObject(0).getLong("knowledge_base_id")).isEqualTo(alpine);
    assertThat(documents.getJsonObject(0).getString("content_hash")).hasSize(64);
    long glaciers = documents.getJsonObject(0).getLong("id");
    long reef = uploadInto(marine, text("reef.txt", "Coral reefs bleach when the glacier-cold currents fail and the "
        + "sea warms.")).getJsonArray("documents").getJsonObject(0).getLong("id");
    for (long id : List.of(glaciers, documents.getJsonObject(1).getLong("id"), reef)) {
      atrium.awaitStatus(id, Duration.ofMinutes(2), "done");
    }

    JsonObject listed = atrium.get("/api/v1/knowledge-bases/" + alpine + "/documents").bodyAsJsonObject();
    assertThat(listed.getJsonArray("documents")).hasSize(2);
    JsonObject first = listed.getJsonArray("documents").getJsonObject(0);
    assertThat(first.getString("status")).isEqualTo("done");
    assertThat(first.getString("file_name")).isEqualTo("glaciers.txt");
    assertThat(first.getLong("chunk_count")).isPositive();
    assertThat(atrium.get("/api/v1/knowledge-bases/" + alpine).bodyAsJsonObject().getLong("document_count")).isEqualTo(2);
    assertThat(atrium.get("/api/v1/documents?status=done&knowledge_base_id=" + marine).bodyAsJsonObject()
        .getJsonArray("documents")).extracting(d -> ((JsonObject) d).getLong("id")).containsExactly(reef);
    assertRefused(atrium.get("/api/v1/knowledge-bases/" + marine + "/documents/" + glaciers), 404, "id");

    for (String mode : List.of("hybrid", "fts", "vector")) {
      JsonArray inMarine = atrium.search(new JsonObject().put("query", "glacier").put("mode", mode)
          .put("filters", new JsonObject().put("knowledge_base_id", marine))).getJsonArray("results");
      assertThat(inMarine).as(mode).isNotEmpty()
          .allSatisfy(hit -> assertThat(((JsonObject) hit).getLong("resource_id")).isEqualTo(reef));
    }
    JsonArray inAlpine = atrium.search(new JsonObject().put("query", "glacier retreat")
        .put("filters", new JsonObject().put("knowledge_base_id", alpine))).getJsonArray("results");
    assertThat(inAlpine.getJsonObject(0).getLong("resource_id")).isEqualTo(glaciers);
  }

  @Test
  void theSameBytesUploadedTwiceIntoABaseAreRecognisedUnlessAskedToKeepThem() throws IOException {
    long base = create(new JsonObject().put("name", "dedupe")).getLong("id");
    Path note = text("note.txt", "Quarterly planning notes: the ferry timetable changes in March.");
    JsonObject first = uploadInto(base, note).getJsonArray("documents").getJsonObject(0);
    atrium.awaitStatus(first.getLong("id"), Duration.ofMinutes(2), "done");

    long storedBefore = countStoredFiles();
    JsonObject again = uploadInto(base, note).getJsonArray("documents").getJsonObject(0);
    assertThat(again.getBoolean("duplicate")).isTrue();
    assertThat(again.getLong("id")).isEqualTo(first.getLong("id"));
    assertThat(atrium.get("/api/v1/knowledge-bases/" + base).bodyAsJsonObject().getLong("document_count")).isEqualTo(1);
    assertThat(countStoredFiles()).as("no second copy kept on disk").isEqualTo(storedBefore);

    JsonObject kept = uploadInto(base, List.of(note), "keep").getJsonArray("documents").getJsonObject(0);
    assertThat(kept.getBoolean("duplicate", false)).isFalse();
    assertThat(kept.getLong("id")).isNotEqualTo(first.getLong("id"));

    JsonObject replacing = uploadInto(base, List.of(note), "replace");
    assertThat(replacing.getJsonArray("replaced").getLong(0)).isEqualTo(first.getLong("id"));
    assertRefused(atrium.get("/api/v1/documents/" + first.getLong("id")), 404, "id");
    assertRefused(uploadRaw("/api/v1/knowledge-bases/" + base + "/documents", List.of(note), "twice"), 400, "on_duplicate");
  }

  @Test
  void newChunkSettingsReindexTheBasesDocumentsWithTheNewChunkCounts() throws IOException {
    long base = create(new JsonObject().put("name", "rechunked").put("chunk", new JsonObject().put("size", 400)
        .put("overlap", 0))).getLong("id");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      text.append("Sentence number ").append(i).append(" describes the lighthouse keeper's log of passing ships. ");
    }
    long id = uploadInto(base, text("log.txt", text.toString())).getJsonArray("documents").getJsonObject(0).getLong("id");
    atrium.awaitStatus(id, Duration.ofMinutes(2), "done");
    long before = document(id).getLong("chunk_count");

    HttpResponse<Buffer> patched = send(HttpMethod.PATCH, "/api/v1/knowledge-bases/" + base,
        new JsonObject().put("chunk", new JsonObject().put("size", 64).put("overlap", 8)));
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    JsonObject reindex = patched.bodyAsJsonObject().getJsonObject("reindex");
    assertThat(reindex.getInteger("documents")).isEqualTo(1);
    long task = reindex.getLong("task_id");
    assertThat(patched.bodyAsJsonObject().getJsonObject("chunk").getInteger("size")).isEqualTo(64);
    JsonObject reindexed = document(id);
    for (long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos(); System.nanoTime() < deadline
        && !("done".equals(reindexed.getString("status")) && reindexed.getLong("chunk_count") > before * 3); ) {
      sleep(100);
      reindexed = document(id);
    }
    assertThat(reindexed.getString("status")).isEqualTo("done");
    assertThat(reindexed.getLong("chunk_count")).as("64-token chunks instead of 400-token ones").isGreaterThan(before * 3);
    JsonObject reindexTask = atrium.get("/api/v1/tasks/" + task).bodyAsJsonObject();
    for (long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos(); System.nanoTime() < deadline
        && !"succeeded".equals(reindexTask.getString("status")); ) {
      sleep(100);
      reindexTask = atrium.get("/api/v1/tasks/" + task).bodyAsJsonObject();
    }
    assertThat(reindexTask.getString("kind")).isEqualTo("reindex");
    assertThat(reindexTask.getString("status")).isEqualTo("succeeded");
    assertThat(reindexTask.getJsonArray("items")).extracting(i -> ((JsonObject) i).getLong("resource_id")).containsExactly(id);

    HttpResponse<Buffer> renamed = send(HttpMethod.PATCH, "/api/v1/knowledge-bases/" + base,
        new JsonObject().put("description", "a keeper's log"));
    assertThat(renamed.bodyAsJsonObject().containsKey("reindex")).as("only new chunk settings re-index").isFalse();
  }

  @Test
  void aDeletedDocumentOrBaseTakesItsChunksOutOfEverySearch() throws IOException {
    long base = create(new JsonObject().put("name", "doomed")).getLong("id");
    JsonArray documents = uploadInto(base, text("a.txt", "The zeppelin hangar at Friedrichshafen housed airships."),
        text("b.txt", "Zeppelin crews trained over Lake Constance.")).getJsonArray("documents");
    long a = documents.getJsonObject(0).getLong("id");
    long b = documents.getJsonObject(1).getLong("id");
    atrium.awaitStatus(a, Duration.ofMinutes(2), "done");
    atrium.awaitStatus(b, Duration.ofMinutes(2), "done");

    assertThat(send(HttpMethod.DELETE, "/api/v1/knowledge-bases/" + base + "/documents/" + a, null).statusCode()).isEqualTo(200);
    atrium.storeCaughtUp();
    for (String mode : List.of("hybrid", "fts", "vector")) {
      assertThat(hitIds("zeppelin hangar", mode)).as(mode).doesNotContain(a);
    }
    HttpResponse<Buffer> deleted = send(HttpMethod.DELETE, "/api/v1/knowledge-bases/" + base, null);
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(200);
    assertThat(deleted.bodyAsJsonObject().getInteger("documents_deleted")).isEqualTo(1);
    atrium.storeCaughtUp();
    for (String mode : List.of("hybrid", "fts", "vector")) {
      assertThat(hitIds("zeppelin crews", mode)).as(mode).doesNotContain(a, b);
    }
    assertRefused(atrium.get("/api/v1/knowledge-bases/" + base), 404, "id");
    assertRefused(atrium.get("/api/v1/documents/" + b), 404, "id");
  }

  @Test
  void seed004UploadsGoIntoTheDefaultBase() throws IOException {
    JsonObject response = atrium.upload(text("default.txt", "Uploaded without naming a base.")).bodyAsJsonObject();
    long id = response.getJsonArray("resources").getJsonObject(0).getLong("resource_id");
    assertThat(response.getJsonArray("documents").getJsonObject(0).getLong("knowledge_base_id")).isEqualTo(1);
    assertThat(document(id).getLong("knowledge_base_id")).isEqualTo(1);
  }

  // ---- helpers ----

  private JsonObject create(JsonObject body) {
    HttpResponse<Buffer> response = atrium.post("/api/v1/knowledge-bases", body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private JsonObject document(long id) {
    HttpResponse<Buffer> response = atrium.get("/api/v1/documents/" + id);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private List<Long> hitIds(String query, String mode) {
    return atrium.search(new JsonObject().put("query", query).put("mode", mode).put("top_k", 50)).getJsonArray("results")
        .stream().map(hit -> ((JsonObject) hit).getLong("resource_id")).toList();
  }

  private JsonObject uploadInto(long base, Path... documents) {
    return uploadInto(base, List.of(documents), null);
  }

  private JsonObject uploadInto(long base, List<Path> documents, String onDuplicate) {
    HttpResponse<Buffer> response = uploadRaw("/api/v1/knowledge-bases/" + base + "/documents", documents, onDuplicate);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject().containsKey("resources")).isFalse();
    return response.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> uploadRaw(String path, List<Path> documents, String onDuplicate) {
    MultipartForm form = MultipartForm.create();
    if (onDuplicate != null) {
      form.attribute("on_duplicate", onDuplicate);
    }
    for (Path file : documents) {
      form.binaryFileUpload("files", file.getFileName().toString(), file.toString(), "text/plain");
    }
    return atrium.client.post(atrium.port, "127.0.0.1", path).sendMultipartForm(form).await();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body) {
    var request = atrium.client.request(method, atrium.port, "127.0.0.1", path);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private long countStoredFiles() throws IOException {
    try (var folders = Files.list(atrium.dataDir.resolve("files"))) {
      return folders.count();
    }
  }

  private Path text(String name, String content) throws IOException {
    Path dir = Files.createTempDirectory(files, "doc");
    return Files.writeString(dir.resolve(name), content);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> names(JsonObject page) {
    return page.getJsonArray("knowledge_bases").stream().map(b -> ((JsonObject) b).getString("name")).toList();
  }

  private static void assertRefused(HttpResponse<Buffer> response, int status, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).as(response.bodyAsString())
        .isEqualTo(field);
  }
}
