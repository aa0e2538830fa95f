package io.atrium.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.atrium.bus.Addresses;
import io.atrium.fakes.FakeTmdbServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files and real hard links in temp folders against a fake TMDB built from its recorded examples: scan →
 * recognise → match → link, and everything that must not happen (wrong links, touched originals, escapes, loss).
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
class MediaOrganiserTest {
  FakeTmdbServer tmdb;
  Path downloads;
  Path library;

  @BeforeEach
  void fakeTmdb(Vertx vertx, @TempDir Path dir) throws Exception {
    tmdb = new FakeTmdbServer(vertx);
    tmdb.start();
    downloads = Files.createDirectories(dir.resolve("downloads"));
    library = dir.resolve("library");
  }

  @AfterEach
  void stop() {
    tmdb.stop();
  }

  @Test
  void newFilesAreRecognisedMatchedAndHardLinkedIntoTheLibraryLayout(Vertx vertx, @TempDir Path dataDir) throws Exception {
    Path movie = video("Fight.Club.1999.1080p.BluRay.x264-GROUP.mkv");
    Path subtitle = video("Fight.Club.1999.1080p.BluRay.x264-GROUP.en.srt");
    Path episode = video("Breaking.Bad.S01E02.720p.HDTV.x264-CTU.mkv");
    Path byId = video("Riddick (2013) [tmdbid-87421]/riddick.dc.2013.mkv");
    Path unknown = video("Totally.Unknown.Picture.2031.1080p.mkv");
    video("Some.Movie.2010/Sample/some.movie.sample.mkv");
    video("Another.Movie.2011.mkv.part");
    video("notes.txt");
    Path growing = video("Still.Downloading.2012.mkv");
    Files.setLastModifiedTime(growing, FileTime.from(Instant.now()));
    String movieBytes = Files.readString(movie);

    AtriumHarness atrium = start(vertx, dataDir, Map.of());
    Map<String, JsonObject> files = awaitSettled(atrium, 4);

    JsonObject fightClub = files.get("Fight.Club.1999.1080p.BluRay.x264-GROUP.mkv");
    assertThat(fightClub.getString("status")).isEqualTo("COMPLETED");
    assertThat(fightClub.getLong("tmdb_id")).isEqualTo(550L);
    Path linked = library.resolve("Movies/Fight Club (1999)/Fight Club (1999).mkv");
    assertThat(fightClub.getString("target_path")).isEqualTo(linked.toString());
    assertThat(Files.isSameFile(linked, movie)).as("a hard link, not a copy").isTrue();
    assertThat(Files.isSameFile(library.resolve("Movies/Fight Club (1999)/Fight Club (1999).en.srt"), subtitle)).isTrue();
    assertThat(Files.readString(movie)).as("the original is untouched").isEqualTo(movieBytes);
    assertThat(movie).exists();

    JsonObject breakingBad = files.get("Breaking.Bad.S01E02.720p.HDTV.x264-CTU.mkv");
    assertThat(breakingBad.getString("status")).isEqualTo("COMPLETED");
    assertThat(Files.isSameFile(library.resolve("Shows/Breaking Bad (2008)/Season 01/Breaking Bad S01E02.mkv"), episode)).isTrue();

    JsonObject riddick = files.get("Riddick (2013) [tmdbid-87421]/riddick.dc.2013.mkv");
    assertThat(riddick.getLong("tmdb_id")).isEqualTo(87421L);
    assertThat(Files.isSameFile(library.resolve("Movies/Riddick (2013)/Riddick (2013).mkv"), byId)).isTrue();

    JsonObject weak = files.get("Totally.Unknown.Picture.2031.1080p.mkv");
    assertThat(weak.getString("status")).isEqualTo("FAILED");
    assertThat(weak.getString("reason")).contains("no confident match");
    assertThat(unknown).exists();
    assertThat(files).doesNotContainKeys("Still.Downloading.2012.mkv", "Another.Movie.2011.mkv.part");

    JsonObject rescan = atrium.post("/api/v1/media/scan", new JsonObject()).bodyAsJsonObject();
    assertThat(rescan.getInteger("added")).as("a rescan finds nothing new").isZero();
    assertThat(rescan.getJsonObject("skipped").getInteger("still being written")).isEqualTo(1);

    Files.move(movie, downloads.resolve("renamed-by-the-torrent-client.mkv"));
    JsonObject afterRename = atrium.post("/api/v1/media/scan", new JsonObject()).bodyAsJsonObject();
    assertThat(afterRename.getInteger("added")).isZero();
    assertThat(afterRename.getInteger("moved")).isEqualTo(1);
    JsonObject same = atrium.get("/api/v1/media/files/" + fightClub.getLong("id")).bodyAsJsonObject();
    assertThat(same.getString("status")).isEqualTo("COMPLETED");
    assertThat(same.getInteger("attempts")).as("a renamed file is not processed again").isEqualTo(1);
  }

  @Test
  void anExistingTargetIsAConflictAndStaysUntouched(Vertx vertx, @TempDir Path dataDir) throws Exception {
    video("Fight.Club.1999.720p.mkv");
    Path target = library.resolve("Movies/Fight Club (1999)/Fight Club (1999).mkv");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "the user's own copy");

    AtriumHarness atrium = start(vertx, dataDir, Map.of());
    JsonObject file = awaitSettled(atrium, 1).get("Fight.Club.1999.720p.mkv");
    assertThat(file.getString("status")).isEqualTo("CONFLICT");
    assertThat(Files.readString(target)).isEqualTo("the user's own copy");

    Files.delete(target);
    HttpResponse<Buffer> retried = atrium.post("/api/v1/media/files/" + file.getLong("id") + "/retry", new JsonObject());
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject().getString("status")).isEqualTo("COMPLETED");
    assertThat(target).exists();
  }

  @Test
  void aLibraryOnAnotherFilesystemFailsWithThatReasonAndLinksNothing(Vertx vertx, @TempDir Path dataDir) throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeThat(Files.isWritable(shm) && !Files.getAttribute(shm, "unix:dev").equals(Files.getAttribute(downloads, "unix:dev")))
        .as("/dev/shm is another filesystem here").isTrue();
    library = Files.createTempDirectory(shm, "atrium-library");
    try {
      video("Fight.Club.1999.mkv");
      AtriumHarness atrium = start(vertx, dataDir, Map.of());
      JsonObject file = awaitSettled(atrium, 1).get("Fight.Club.1999.mkv");
      assertThat(file.getString("status")).isEqualTo("FAILED");
      assertThat(file.getString("reason")).contains("different filesystems");
      try (var entries = Files.list(library)) {
        assertThat(entries.toList()).isEmpty();
      }
    } finally {
      try (var walk = Files.walk(library)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aRateLimitStormIsWaitedOutWithinTheLimit(Vertx vertx, @TempDir Path dataDir) throws Exception {
    tmdb.rateLimitNext.set(3);
    video("Fight.Club.1999.mkv");
    video("Star.Wars.1977.mkv");
    video("Breaking.Bad.S01E03.mkv");
    AtriumHarness atrium = start(vertx, dataDir, Map.of("ATRIUM_MEDIA_TMDB_REQUESTS_PER_SECOND", "5"));
    Map<String, JsonObject> files = awaitSettled(atrium, 3);
    assertThat(files.values()).allSatisfy(f -> assertThat(f.getString("status")).as(f.encode()).isEqualTo("COMPLETED"));
    List<Long> times = tmdb.received.stream().map(FakeTmdbServer.Received::atNanos).sorted().toList();
    for (int i = 5; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 5)).as("no 6 requests within one second").isGreaterThan(900_000_000L);
    }
  }

  @Test
  void whileTmdbIsDownFilesStayPendingAndCompleteWhenItIsBack(Vertx vertx, @TempDir Path dataDir) throws Exception {
    tmdb.down.set(true);
    video("Fight.Club.1999.mkv");
    AtriumHarness atrium = start(vertx, dataDir, Map.of());
    JsonObject pending = awaitFile(atrium, f -> f.getString("reason") != null);
    assertThat(pending.getString("status")).isEqualTo("PENDING");
    assertThat(pending.getString("reason")).contains("TMDB");
    tmdb.down.set(false);
    JsonObject done = awaitFile(atrium, f -> "COMPLETED".equals(f.getString("status")));
    assertThat(done.getLong("tmdb_id")).isEqualTo(550L);
  }

  @Test
  void hostileNamesStayInsideTheLibraryAndTheDryRunTouchesNothing(Vertx vertx, @TempDir Path dataDir) throws Exception {
    Path newline = video("Fight\nClub.1999.mkv");
    Path longName = video("Star.Wars." + "x".repeat(200) + ".1977.mkv");
    AtriumHarness atrium = start(vertx, dataDir, Map.of());
    Map<String, JsonObject> files = awaitSettled(atrium, 2);
    for (JsonObject file : files.values()) {
      if (file.getString("target_path") != null) {
        Path target = Path.of(file.getString("target_path"));
        assertThat(target.normalize().startsWith(library)).isTrue();
        assertThat(target.getFileName().toString()).doesNotContain("\n");
      }
    }
    assertThat(newline).exists();
    assertThat(longName).exists();

    int before = atrium.get("/api/v1/media/files").bodyAsJsonObject().getInteger("total");
    for (String name : List.of("../../etc/passwd.mkv", "a\nb\u0000c.mkv", "x".repeat(300) + ".mkv",
        "[SubsPlease] Show - 15 [1080p].mkv", "The.Matrix.1999.1080p.mkv")) {
      HttpResponse<Buffer> response = atrium.post("/api/v1/media/recognize", new JsonObject().put("name", name));
      assertThat(response.statusCode()).as(name + ": " + response.bodyAsString()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getString("source")).isEqualTo("rules");
      assertThat(response.bodyAsJsonObject().getString("type")).isIn("movie", "episode");
    }
    assertThat(atrium.post("/api/v1/media/recognize", new JsonObject().put("name", "The.Matrix.1999.1080p.mkv"))
        .bodyAsJsonObject()).isEqualTo(new JsonObject().put("type", "movie").put("title", "The Matrix").put("source", "rules")
        .put("year", 1999));
    assertThat(atrium.get("/api/v1/media/files").bodyAsJsonObject().getInteger("total")).isEqualTo(before);
    assertThat(Files.exists(Path.of("/etc/passwd.mkv"))).isFalse();
  }

  @Test
  void aManualMatchRelinksAndBadRequestsNameTheField(Vertx vertx, @TempDir Path dataDir) throws Exception {
    Path file = video("Totally.Unknown.Picture.2031.mkv");
    AtriumHarness atrium = start(vertx, dataDir, Map.of());
    long id = awaitSettled(atrium, 1).get("Totally.Unknown.Picture.2031.mkv").getLong("id");

    HttpResponse<Buffer> matched = atrium.post("/api/v1/media/files/" + id + "/match",
        new JsonObject().put("tmdb_id", 11).put("type", "movie"));
    assertThat(matched.statusCode()).as(matched.bodyAsString()).isEqualTo(200);
    Path starWars = library.resolve("Movies/Star Wars (1977)/Star Wars (1977).mkv");
    assertThat(Files.isSameFile(starWars, file)).isTrue();
    assertThat(atrium.get("/api/v1/media/files/" + id).bodyAsJsonObject().getString("recognized_by")).isEqualTo("manual");

    // a second correction moves the link: the first one goes, the original stays
    HttpResponse<Buffer> corrected = atrium.post("/api/v1/media/files/" + id + "/match",
        new JsonObject().put("tmdb_id", 87421).put("type", "movie"));
    assertThat(corrected.statusCode()).as(corrected.bodyAsString()).isEqualTo(200);
    assertThat(Files.isSameFile(library.resolve("Movies/Riddick (2013)/Riddick (2013).mkv"), file)).isTrue();
    assertThat(starWars).doesNotExist();
    assertThat(file).exists();

    assertError(atrium.post("/api/v1/media/files/" + id + "/match", new JsonObject().put("tmdb_id", "11").put("type", "movie")), 400, "tmdb_id");
    assertError(atrium.post("/api/v1/media/files/" + id + "/match", new JsonObject().put("tmdb_id", 11).put("type", "film")), 400, "type");
    assertError(atrium.post("/api/v1/media/files/" + id + "/match", new JsonObject().put("tmdb_id", 1396).put("type", "episode")), 400, "episode");
    assertError(atrium.post("/api/v1/media/files/999999/match", new JsonObject().put("tmdb_id", 11).put("type", "movie")), 404, "id");
    assertError(atrium.post("/api/v1/media/files/" + id + "/retry", new JsonObject()), 409, "id");
    assertError(atrium.get("/api/v1/media/files?status=DONE"), 400, "status");
    assertError(atrium.get("/api/v1/media/files/abc"), 400, "id");
    assertError(atrium.post("/api/v1/media/recognize", new JsonObject()), 400, "name");
  }

  @Test
  void twoProcessorsNeverClaimTheSameFile(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir.resolve("data")).start();
    JsonArray rows = new JsonArray();
    for (int i = 0; i < 300; i++) {
      rows.add(new JsonObject().put("device", 1).put("inode", 1000 + i).put("path", "/x/" + i + ".mkv")
          .put("relative_path", i + ".mkv").put("size", 1));
    }
    vertx.eventBus().request("atrium.store.media.upsert", new JsonObject().put("files", rows)).await();
    Map<Long, Integer> claims = new java.util.concurrent.ConcurrentHashMap<>();
    List<Thread> claimers = new java.util.ArrayList<>();
    for (int c = 0; c < 4; c++) {
      claimers.add(Thread.ofVirtual().start(() -> {
        while (true) {
          JsonObject claimed = (JsonObject) vertx.eventBus().request("atrium.store.media.claim",
              new JsonObject().put("claim_timeout_s", 600)).await().body();
          if (!claimed.containsKey("file")) {
            return;
          }
          claims.merge(claimed.getJsonObject("file").getLong("id"), 1, Integer::sum);
        }
      }));
    }
    for (Thread claimer : claimers) {
      claimer.join();
    }
    assertThat(claims).hasSize(300);
    assertThat(claims.values()).allMatch(n -> n == 1);
  }

  @Test
  void theLlmRecognisesFirstItsAnswersAreCachedAndTheRulesAnswerWhenItFails(Vertx vertx, @TempDir Path dataDir) throws Exception {
    io.atrium.fakes.FakeLlmServer llm = new io.atrium.fakes.FakeLlmServer(vertx);
    llm.start();
    try {
      video("[Fansub] Breaking Bad - 02 [1080p].mkv");
      JsonObject recorded = new JsonObject(io.atrium.fakes.LlmFixtures
          .cassette("openai/test_openai_model_without_system_prompt.yaml", 0).body());
      recorded.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
          .put("content", "{\"type\": \"episode\", \"title\": \"Breaking Bad\", \"year\": null, \"season\": 1, \"episode\": 2}");
      llm.script.add(new io.atrium.fakes.FakeLlmServer.Scripted(200, Map.of(), recorded.encode()));
      AtriumHarness atrium = start(vertx, dataDir, Map.of(
          "ATRIUM_MEDIA_LLM_PROVIDER", "openai", "ATRIUM_MEDIA_LLM_MODEL", "gpt-4o-mini",
          "ATRIUM_MEDIA_LLM_API_KEY", io.atrium.fakes.FakeLlmServer.KEY,
          "ATRIUM_MEDIA_LLM_BASE_URL", llm.url("/openai/v1")));
      JsonObject file = awaitSettled(atrium, 1).get("[Fansub] Breaking Bad - 02 [1080p].mkv");
      assertThat(file.getString("status")).as(file.encode()).isEqualTo("COMPLETED");
      assertThat(file.getString("recognized_by")).isEqualTo("llm");
      assertThat(library.resolve("Shows/Breaking Bad (2008)/Season 01/Breaking Bad S01E02.mkv")).exists();
      assertThat(llm.received).hasSize(1);
      assertThat(llm.received.getFirst().body().getJsonObject("response_format").getString("type")).isEqualTo("json_object");

      JsonObject again = atrium.post("/api/v1/media/recognize", new JsonObject().put("name", "[Fansub] Breaking Bad - 02 [1080p].mkv"))
          .bodyAsJsonObject();
      assertThat(again.getString("source")).isEqualTo("llm");
      assertThat(llm.received).as("the same name is answered from the cache").hasSize(1);

      llm.down.set(true);
      JsonObject fallback = atrium.post("/api/v1/media/recognize", new JsonObject().put("name", "The.Matrix.1999.mkv"))
          .bodyAsJsonObject();
      assertThat(fallback.getString("source")).isEqualTo("rules");
      assertThat(fallback.getString("title")).isEqualTo("The Matrix");
    } finally {
      llm.stop();
    }
  }

  @Test
  void aBearerTokenWorksInPlaceOfAnApiKey(Vertx vertx, @TempDir Path dataDir) throws Exception {
    video("Fight.Club.1999.mkv");
    AtriumHarness atrium = start(vertx, dataDir, Map.of("ATRIUM_MEDIA_TMDB_API_KEY", "", "ATRIUM_MEDIA_TMDB_BEARER_TOKEN", FakeTmdbServer.KEY));
    assertThat(awaitSettled(atrium, 1).get("Fight.Club.1999.mkv").getString("status")).isEqualTo("COMPLETED");
  }

  @Test
  void aRefusedKeyKeepsFilesPendingWithTheReason(Vertx vertx, @TempDir Path dataDir) throws Exception {
    video("Fight.Club.1999.mkv");
    AtriumHarness atrium = start(vertx, dataDir, Map.of("ATRIUM_MEDIA_TMDB_API_KEY", "not-the-key", "ATRIUM_MEDIA_RETRY_LATER_S", "60"));
    JsonObject file = awaitFile(atrium, f -> f.getString("reason") != null);
    assertThat(file.getString("status")).isEqualTo("PENDING");
    assertThat(file.getString("reason")).contains("refused the API key").doesNotContain("not-the-key");
    assertThat(library.resolve("Movies")).doesNotExist();
  }

  @Test
  void aClaimLeftByADeadProcessorIsReleasedAfterItsTimeout(Vertx vertx, @TempDir Path dataDir) throws Exception {
    AtriumHarness atrium = new AtriumHarness(vertx, dataDir.resolve("data")).start();
    vertx.eventBus().request("atrium.store.media.upsert", new JsonObject().put("files", new JsonArray().add(new JsonObject()
        .put("device", 1).put("inode", 7).put("path", "/x/a.mkv").put("relative_path", "a.mkv").put("size", 1)))).await();
    JsonObject first = (JsonObject) vertx.eventBus().request("atrium.store.media.claim", new JsonObject().put("claim_timeout_s", 600)).await().body();
    assertThat(first.getJsonObject("file").getString("status")).isEqualTo("PROCESSING");
    JsonObject none = (JsonObject) vertx.eventBus().request("atrium.store.media.claim", new JsonObject().put("claim_timeout_s", 600)).await().body();
    assertThat(none.containsKey("file")).as("a live claim is respected").isFalse();
    try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + atrium.dataDir.resolve("atrium.db"));
         var sql = db.createStatement()) {
      sql.execute("UPDATE media_files SET claimed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-20 minutes')");
    }
    JsonObject again = (JsonObject) vertx.eventBus().request("atrium.store.media.claim", new JsonObject().put("claim_timeout_s", 600)).await().body();
    assertThat(again.getJsonObject("file").getLong("id")).isEqualTo(first.getJsonObject("file").getLong("id"));
    assertThat(again.getJsonObject("file").getInteger("attempts")).isEqualTo(2);
  }

  private AtriumHarness start(Vertx vertx, Path dataDir, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "ATRIUM_MEDIA_SOURCE_DIRS", downloads.toString(),
        "ATRIUM_MEDIA_LIBRARY_DIR", library.toString(),
        "ATRIUM_MEDIA_TMDB_BASE_URL", tmdb.baseUrl(),
        "ATRIUM_MEDIA_TMDB_API_KEY", FakeTmdbServer.KEY,
        "ATRIUM_MEDIA_STABLE_S", "30",
        "ATRIUM_MEDIA_RETRY_LATER_S", "1",
        "ATRIUM_MEDIA_TMDB_RETRY_BACKOFF_MS", "50",
        "ATRIUM_MEDIA_TMDB_BREAKER_RESET_MS", "500",
        "ATRIUM_MEDIA_SCAN_INTERVAL_S", "3600"));
    env.putAll(extra);
    return new AtriumHarness(vertx, dataDir.resolve("data")).start(env);
  }

  /** A video (any file) under the downloads folder, last written an hour ago. */
  private Path video(String relative) throws Exception {
    Path file = downloads.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "video bytes of " + relative);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
    return file;
  }

  /**
   * Waits until {@code count} files are known and none is PENDING or PROCESSING; answers them by relative path. The
   * list is read now and again at each media status change.
   */
  private static Map<String, JsonObject> awaitSettled(AtriumHarness atrium, int count) {
    List<JsonObject> settled = awaitFiles(atrium, count + " media files, none pending or processing", files -> files.size() >= count
        && files.stream().noneMatch(f -> List.of("PENDING", "PROCESSING").contains(f.getString("status"))));
    return settled.stream().collect(Collectors.toMap(f -> f.getString("relative_path"), f -> f));
  }

  /** Waits until a media file is {@code wanted} (the list is read now and again at each media status change). */
  private static JsonObject awaitFile(AtriumHarness atrium, java.util.function.Predicate<JsonObject> wanted) {
    return awaitFiles(atrium, "a media file as wanted", files -> files.stream().anyMatch(wanted))
        .stream().filter(wanted).findFirst().orElseThrow();
  }

  private static List<JsonObject> awaitFiles(AtriumHarness atrium, String what, java.util.function.Predicate<List<JsonObject>> reached) {
    try (EventLog media = EventLog.onBus(atrium.vertx, Addresses.EVENTS_MEDIA)) {
      return media.awaitState(what, Duration.ofSeconds(30), () -> atrium.get("/api/v1/media/files").bodyAsJsonObject()
          .getJsonArray("files").stream().map(JsonObject.class::cast).toList(), reached);
    }
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo(field);
  }
}
