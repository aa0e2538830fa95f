package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile or broken file of ../shared/data/docs/edge ends in a clear state while atrium keeps serving:
 * bombs, external entities, password-protected and truncated files end in error with a reason; files a normal
 * reader opens (a malformed xref, an owner-password-only PDF, one bad page) are indexed, and only with their own text.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class HostileFilesTest {
  private static final Set<String> MUST_FAIL = Set.of(
      "ExternalEntityInText.docx", "bomb_giant.pdf", "clusterfuzz-testcase-minimized-POIXWPFFuzzer-4791943399604224.docx",
      "libreoffice-writer-password.pdf", "poc-shared-strings.xlsx", "poc-xmlbomb.xlsx", "quine.gz",
      "testPDF_malformedXFA.pdf", "testWORD_protected_passtika.docx", "testWORD_truncated.docx", "testZIP_corrupted_oom.zip");
  private static final Set<String> RECOVERABLE = Set.of(
      "crash-517626e815e0afa9decd0ebb6d1dee63fb9907dd.docx", "helloworld-bad.pdf", "testPDF_bad_page_303226.pdf",
      "testPDF_incrementalUpdates.pdf", "testPDF_protected.pdf", "test_recursive_embedded.docx", "xxe_in_schema.xlsx");

  @Test
  void hostileFilesEndInErrorAndAGoodFileAfterThemStillCompletes(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    List<Path> edge;
    try (Stream<Path> files = Files.list(AtriumHarness.DOCS.resolve("edge"))) {
      edge = files.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(edge.stream().map(p -> p.getFileName().toString()))
        .as("every edge file is classified by this test").containsExactlyInAnyOrderElementsOf(union(MUST_FAIL, RECOVERABLE));
    List<Path> all = new ArrayList<>(edge);
    all.add(AtriumHarness.doc("office/testWORD.docx"));
    JsonArray resources = atrium.upload(all.toArray(Path[]::new)).bodyAsJsonObject().getJsonArray("resources");

    for (int i = 0; i < edge.size(); i++) {
      String name = edge.get(i).getFileName().toString();
      long id = resources.getJsonObject(i).getLong("resource_id");
      JsonObject status = atrium.awaitStatus(id, Duration.ofMinutes(4), "done", "error");
      if (MUST_FAIL.contains(name)) {
        assertThat(status.getString("status")).as(name + " " + status.encode()).isEqualTo("error");
        assertThat(status.getString("last_error")).as(name).isNotBlank();
      } else {
        assertThat(status.getString("status")).as(name + " " + status.encode()).isEqualTo("done");
        assertThat(chunkText(dataDir, id)).as(name + " leaks no external entity").doesNotContain("root:x:0:0");
      }
    }
    JsonObject good = atrium.awaitStatus(resources.getJsonObject(edge.size()).getLong("resource_id"), Duration.ofMinutes(2), "done", "error");
    assertThat(good.getString("status")).as(good.encode()).isEqualTo("done");
    assertThat(atrium.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void htmlNested100000DeepIsIndexedWithAllItsText(Vertx vertx, @TempDir Path dataDir, @TempDir Path in) throws Exception {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir).start();
    long id = atrium.upload(GeneratedDocs.nested100k(in)).bodyAsJsonObject().getJsonArray("resources")
        .getJsonObject(0).getLong("resource_id");
    JsonObject status = atrium.awaitStatus(id, Duration.ofMinutes(2), "done", "error");
    assertThat(status.getString("status")).as(status.encode()).isEqualTo("done");
    assertThat(status.getInteger("chunk_count")).isPositive();
    assertThat(chunkText(dataDir, id)).contains("level 0 of the nesting.", "level 99000 of the nesting.",
        "The deepest sentence survives.");
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  static String chunkText(Path dataDir, long resourceId) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("atrium.db"));
         PreparedStatement query = db.prepareStatement("SELECT group_concat(content, ' ') FROM context_chunks WHERE resource_id = ?")) {
      query.setLong(1, resourceId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() && rows.getString(1) != null ? rows.getString(1) : "";
      }
    }
  }
}
