package io.atrium.bench;

import io.atrium.e2e.AtriumHarness;
import io.atrium.fakes.FakeTmdbServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * Media organiser throughput, scan to link, against the fake TMDB (in this JVM) at TMDB's own rate limit:
 * <ol>
 *   <li>N episode files of one show (one TMDB search, then cache hits): what atrium itself sustains;</li>
 *   <li>M files of distinct unknown titles (two searches each, nothing cached): bounded by the rate limit, so
 *       files/s should approach requests-per-second / 2.</li>
 * </ol>
 * Usage: MediaBench [episodes=10000] [distinct=400] [requestsPerSecond=40] [processors=4]
 */
public final class MediaBench {
  public static void main(String[] args) throws Exception {
    int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int distinct = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int rps = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    int processors = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    Path work = Files.createTempDirectory("atrium-media-bench");
    Path downloads = Files.createDirectories(work.resolve("downloads"));
    Vertx vertx = Vertx.vertx();
    FakeTmdbServer tmdb = new FakeTmdbServer(vertx);
    tmdb.start();
    AtriumHarness atrium = new AtriumHarness(vertx, work.resolve("data")).start(Map.of(
        "ATRIUM_MEDIA_SOURCE_DIRS", downloads.toString(),
        "ATRIUM_MEDIA_LIBRARY_DIR", work.resolve("library").toString(),
        "ATRIUM_MEDIA_TMDB_BASE_URL", tmdb.baseUrl(),
        "ATRIUM_MEDIA_TMDB_API_KEY", FakeTmdbServer.KEY,
        "ATRIUM_MEDIA_TMDB_REQUESTS_PER_SECOND", String.valueOf(rps),
        "ATRIUM_MEDIA_PROCESSORS", String.valueOf(processors),
        "ATRIUM_MEDIA_SCAN_INTERVAL_S", "86400"));
    System.out.printf("# media bench: %d cores, fake TMDB in this JVM, rate limit %d requests/s, %d processors%n",
        Runtime.getRuntime().availableProcessors(), rps, processors);

    for (int i = 0; i < episodes; i++) {
      write(downloads.resolve("Breaking.Bad.S%02dE%02d.720p.HDTV.x264-GRP.mkv".formatted(i / 200 + 1, i % 200 + 1)));
    }
    round(atrium, tmdb, "episodes of one show", episodes, rps);

    for (int i = 0; i < distinct; i++) {
      write(downloads.resolve("Nonexistent.Picture.Number.%s.%d.1080p.mkv".formatted(word(i), 1950 + i % 70)));
    }
    round(atrium, tmdb, "distinct unknown titles", distinct, rps);
    vertx.close().await();
    System.exit(0);
  }

  private static void round(AtriumHarness atrium, FakeTmdbServer tmdb, String label, int files, int rps) {
    int requestsBefore = tmdb.received.size();
    int settledBefore = settled(atrium);
    long start = System.nanoTime();
    JsonObject scan = atrium.post("/api/v1/media/scan", new JsonObject()).bodyAsJsonObject();
    double scanSeconds = (System.nanoTime() - start) / 1e9;
    while (settled(atrium) < settledBefore + files) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int requests = tmdb.received.size() - requestsBefore;
    double perFile = (double) requests / files;
    System.out.printf("%-24s %6d files: scan %.1f s (%d added), scan to last link %.1f s = %.1f files/s; "
            + "%d TMDB requests (%.2f per file): the rate limit allows at most %s files/s%n",
        label, files, scanSeconds, scan.getInteger("added"), seconds, files / seconds, requests, perFile,
        perFile < 0.01 ? "unbounded" : String.format("%.1f", rps / perFile));
  }

  private static int settled(AtriumHarness atrium) {
    int total = 0;
    for (String status : new String[] {"COMPLETED", "FAILED", "CONFLICT"}) {
      total += atrium.get("/api/v1/media/files?status=" + status + "&limit=1").bodyAsJsonObject().getInteger("total");
    }
    return total;
  }

  private static String word(int i) {
    StringBuilder word = new StringBuilder();
    for (int n = i + 1; n > 0; n /= 26) {
      word.append((char) ('a' + n % 26));
    }
    return word.toString();
  }

  private static void write(Path file) throws Exception {
    Files.writeString(file, "x");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
  }
}
