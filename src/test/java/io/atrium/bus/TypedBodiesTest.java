package io.atrium.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The typed bodies keep the wire names of verticles.md (clients and other verticles speak them) and survive the trip
 * to JSON and back; a body with a wrong-typed field is a 400 naming it, before anything is written.
 */
class TypedBodiesTest {

  @Test
  void aResourceRowHasSeed000sColumnsAndItsChunkCount() {
    ResourceRow row = new ResourceRow(7, "/docs/a.pdf", "h1", "pdf", 3L, "synced", "h1", null,
        "2026-12-01T10:00:00.000Z", "done", null, 12);
    JsonObject json = row.toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("id", "file_path", "file_hash", "file_type", "task_id",
        "sync_status", "indexed_hash", "processing_hash", "last_indexed_at", "processing_stage", "last_error",
        "chunk_count");
    assertThat(ResourceRow.fromJson(json)).isEqualTo(row);
    assertThat(row.needsIndexing()).isFalse();
    assertThat(new ResourceRow(7, "/a", "h2", null, null, "dirty", "h1", null, null, "done", null, 1).needsIndexing())
        .isTrue();
    assertThat(new ResourceRow(7, "/a", null, null, null, "pending", null, null, null, "todo", null, 0).needsIndexing())
        .as("a row without a hash (an upload) always needs indexing").isTrue();
  }

  @Test
  void aRowIsInErrorByEitherWord() {
    assertThat(new ResourceRow(1, "/a", null, null, null, "pending", null, null, null, "error", "x", 0).inError()).isTrue();
    assertThat(new ResourceRow(1, "/a", null, null, null, "error", null, null, null, "todo", null, 0).inError()).isTrue();
    assertThat(new ResourceRow(1, "/a", null, null, null, "synced", null, null, null, "done", null, 0).inError()).isFalse();
  }

  @Test
  void chunksToReplaceTravelWithTheirVectorsInWireForm() {
    String vector = Vectors.toBase64(new float[] {0.5f, -1f});
    ChunksReplace replace = new ChunksReplace(4, "abc", "remote:model-a",
        List.of(new EmbeddedChunk(0, "first", 1, 0, 5, 2, vector), new EmbeddedChunk(1, "second", null, 6, 12, 2, vector)));
    JsonObject json = replace.toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("resource_id", "indexed_hash", "model", "chunks");
    assertThat(json.getJsonArray("chunks").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("index", "text", "page", "start", "end", "tokens", "vector");
    assertThat(ChunksReplace.fromJson(json)).isEqualTo(replace);
    assertThat(Vectors.fromBytes(replace.chunks().get(0).vectorBytes())).containsExactly(0.5f, -1f);
  }

  @Test
  void aChunkWithAWrongTypedFieldIsRefusedNamingIt() {
    JsonObject chunk = new JsonObject().put("index", 0).put("text", "t").put("start", 0).put("end", 1).put("tokens", 1)
        .put("vector", Vectors.toBase64(new float[] {1f}));
    JsonObject body = new JsonObject().put("resource_id", 1).put("model", "m");
    assertRefused(body.copy().put("chunks", new JsonArray().add(chunk.copy().put("start", "0"))), "start");
    assertRefused(body.copy().put("chunks", new JsonArray().add(chunk.copy().put("page", "two"))), "page");
    JsonObject withoutVector = chunk.copy();
    withoutVector.remove("vector");
    assertRefused(body.copy().put("chunks", new JsonArray().add(withoutVector)), "vector");
    assertRefused(body.copy().put("chunks", new JsonArray().add("not a chunk")), "chunks");
    assertRefused(body.copy().put("resource_id", "1").put("chunks", new JsonArray()), "resource_id");
  }

  @Test
  void anEmbeddedDocumentNamesItsModelAndDimension() {
    EmbeddedDocument document = new EmbeddedDocument("onnx:bge-small", 384,
        List.of(new EmbeddedChunk(0, "only", null, 0, 4, 1, Vectors.toBase64(new float[] {1f}))));
    assertThat(document.toJson().fieldNames()).containsExactlyInAnyOrder("model", "dimension", "chunks");
    assertThat(EmbeddedDocument.fromJson(document.toJson())).isEqualTo(document);
  }

  @Test
  void aSearchHitHasTheShapeOfSearchHybridsResults() {
    SearchHit explained = new SearchHit(3, 41, 0.82, "The cell divides.", "The <mark>cell</mark> divides.",
        "/docs/bio.pdf", 7, new SearchHit.Match(1, 4, "weighted", 0.9, 0.71));
    JsonObject json = explained.toJson();
    assertThat(json.fieldNames()).containsExactly("resource_id", "chunk_id", "score", "text", "highlight", "source",
        "match");
    assertThat(json.getJsonObject("source")).isEqualTo(new JsonObject().put("file_path", "/docs/bio.pdf").put("page", 7)
        .put("source_type", "document"));
    assertThat(json.getJsonObject("match").fieldNames())
        .containsExactly("fts_rank", "vector_rank", "fusion", "fts_score", "vector_score");
    assertThat(SearchHit.fromJson(json)).isEqualTo(explained);

    SearchHit vectorOnly = new SearchHit(3, 42, 0.5, "t", "t", "/docs/a.txt", null,
        new SearchHit.Match(null, 2, null, null, null));
    assertThat(vectorOnly.toJson().getJsonObject("source").fieldNames()).containsExactly("file_path", "source_type");
    assertThat(vectorOnly.toJson().getJsonObject("match")).isEqualTo(new JsonObject().put("vector_rank", 2));
    assertThat(SearchHit.listFrom(new JsonObject().put("results", new JsonArray().add(json).add(vectorOnly.toJson()))))
        .containsExactly(explained, vectorOnly);

    SearchHit inAConversation = new SearchHit(5, 43, 0.7, "assistant: done", "assistant: done", "conversations/cc/c-1",
        null, new SearchHit.Match(1, null, null, null, null), new SearchHit.Conversation("c-1", "cc", "m-9"));
    assertThat(inAConversation.toJson().getJsonObject("source")).isEqualTo(new JsonObject()
        .put("file_path", "conversations/cc/c-1").put("source_type", "conversation").put("conversation_id", "c-1")
        .put("worker_name", "cc").put("message_uuid", "m-9"));
    assertThat(SearchHit.fromJson(inAConversation.toJson())).isEqualTo(inAConversation);
  }

  @Test
  void aMediaFileHasTheApiShape() {
    MediaFile file = new MediaFile(9, "/nas/in/m.mkv", "in/m.mkv", 1024, "COMPLETED", null, "movie", "The Matrix", 1999,
        null, null, "rules", 603L, "The Matrix", 1999, "/lib/Movies/The Matrix (1999)/The Matrix (1999).mkv", 1,
        "2026-12-01T10:00:00.000Z", "2026-12-01T10:00:01.000Z", 2049L, 131L);
    assertThat(file.toJson().fieldNames()).containsExactlyElementsOf(MediaFile.COLUMNS);
    assertThat(MediaFile.fromJson(file.toJson())).isEqualTo(file);
  }

  @Test
  void aChatExchangeKeepsTheAnswersProviderUsageAndCitations() {
    JsonArray citations = new JsonArray().add(new JsonObject().put("resource_id", 1).put("chunk_id", 2));
    ChatExchange exchange = new ChatExchange(5, List.of(ChatExchange.Message.of("user", "why?"),
        new ChatExchange.Message("assistant", "because", "openai", "gpt-4o-mini", 10L, 3L, citations)));
    JsonObject json = exchange.toJson();
    assertThat(json.getJsonArray("messages").getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("role", "content");
    assertThat(json.getJsonArray("messages").getJsonObject(1).getJsonObject("usage"))
        .isEqualTo(new JsonObject().put("prompt_tokens", 10L).put("completion_tokens", 3L));
    assertThat(ChatExchange.fromJson(json)).isEqualTo(exchange);
    assertThatThrownBy(() -> ChatExchange.fromJson(json.copy().put("messages", "hi")))
        .satisfies(e -> assertThat(Failure.of(e).field()).isEqualTo("messages"));
  }

  private static void assertRefused(JsonObject body, String field) {
    assertThatThrownBy(() -> ChunksReplace.fromJson(body)).satisfies(e -> {
      Failure failure = Failure.of(e);
      assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(failure.field()).isEqualTo(field);
    });
  }
}
