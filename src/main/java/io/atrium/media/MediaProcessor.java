package io.atrium.media;

import io.atrium.bus.MediaFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed file from name to link: recognise, match on TMDB (an explicit or hand-given id wins), hard-link.
 * Answers the outcome to record: COMPLETED, CONFLICT or FAILED with a reason, or PENDING with a retry delay when
 * TMDB cannot be reached (nothing is lost; the file is tried again later). Every decision is logged.
 */
final class MediaProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(MediaProcessor.class);

  private final Vertx vertx;
  private final MediaSettings settings;
  private final Recognizer recognizer;
  private final TmdbClient tmdb;
  private final TmdbMatcher matcher;
  private final Linker linker;

  MediaProcessor(Vertx vertx, MediaSettings settings, Recognizer recognizer, TmdbClient tmdb, Linker linker) {
    this.vertx = vertx;
    this.settings = settings;
    this.recognizer = recognizer;
    this.tmdb = tmdb;
    this.matcher = new TmdbMatcher(settings.minConfidence());
    this.linker = linker;
  }

  /** Recognition → match → link for a file claimed by the scanner's queue. */
  Future<JsonObject> process(MediaFile file) {
    long id = file.id();
    return recognizer.recognize(file.relativePath())
        .compose(recognized -> {
          Recognition recognition = recognized.recognition();
          LOG.info("media file={} decision=recognised source={} type={} title=\"{}\" year={} season={} episode={} tmdb_id={}",
              id, recognized.source(), recognition.type(), recognition.title(), recognition.year(), recognition.season(),
              recognition.episode(), recognition.tmdbId());
          JsonObject outcome = recognitionFields(recognition, recognized.source());
          return matchAndLink(file, recognition, outcome);
        })
        .recover(e -> Future.succeededFuture(failure(id, e)));
  }

  /** A hand-chosen TMDB entry: {tmdb_id, type, season?, episode?} replaces the recognition. */
  Future<JsonObject> processMatch(MediaFile file, long tmdbId, String type, Integer season, Integer episode) {
    Recognition given = new Recognition(type, null, null, season, episode, tmdbId);
    JsonObject outcome = recognitionFields(given, "manual");
    return matchAndLink(file, given, outcome)
        .compose(result -> "COMPLETED".equals(result.getString("status"))
            ? vertx.executeBlocking(() -> unlinkPrevious(file, result), false) : Future.succeededFuture(result))
        .recover(e -> Future.succeededFuture(failure(file.id(), e)));
  }

  /**
   * After a correction, the link made for the wrong match goes, so the library does not show the file twice; only a
   * hard link of this very file is removed (never a file the user put there).
   */
  private JsonObject unlinkPrevious(MediaFile file, JsonObject result) {
    String previous = file.targetPath();
    if (previous == null || previous.equals(result.getString("target_path"))) {
      return result;
    }
    try {
      Path old = Path.of(previous);
      if (Files.exists(old) && Files.isSameFile(old, Path.of(file.path()))) {
        Files.delete(old);
        LOG.info("media file={} decision=unlinked-previous target=\"{}\"", file.id(), previous);
      }
    } catch (IOException e) {
      LOG.warn("media file={} previous link {} not removed: {}", file.id(), previous, e.getMessage());
    }
    return result;
  }

  private Future<JsonObject> matchAndLink(MediaFile file, Recognition recognition, JsonObject outcome) {
    long id = file.id();
    boolean episode = "episode".equals(recognition.type());
    if (recognition.tmdbId() == null && (recognition.title() == null || recognition.title().isBlank())) {
      return Future.succeededFuture(decided(id, outcome.put("status", "FAILED").put("reason", "no title recognised in the name")));
    }
    if (episode && recognition.episode() == null) {
      return Future.succeededFuture(decided(id, outcome.put("status", "FAILED").put("reason", "no episode number recognised")));
    }
    return match(recognition).compose(match -> {
      if (match == null) {
        String reason = "no confident match on TMDB for \"" + recognition.title() + "\""
            + (recognition.year() == null ? "" : " (" + recognition.year() + ")");
        return Future.succeededFuture(decided(id, outcome.put("status", "FAILED").put("reason", reason)));
      }
      outcome.put("tmdb_id", match.tmdbId()).put("tmdb_title", match.title()).put("tmdb_year", match.year());
      LOG.info("media file={} decision=matched tmdb_id={} title=\"{}\" year={} confidence={}", id, match.tmdbId(),
          match.title(), match.year(), String.format("%.2f", match.confidence()));
      Path source = Path.of(file.path());
      return vertx.executeBlocking(() -> {
        Path target = linker.target(match.title(), match.year(), episode, recognition.season(), recognition.episode());
        return linker.link(source, target, file.device() == null || file.inode() == null ? null
            : new Linker.FileKey(file.device(), file.inode()));
      }, false).map(linked -> {
        outcome.put("status", linked.status()).put("reason", linked.reason());
        if (linked.targetPath() != null) {
          outcome.put("target_path", linked.targetPath());
        }
        if (!linked.subtitles().isEmpty()) {
          LOG.info("media file={} decision=subtitles linked={}", id, linked.subtitles());
        }
        return decided(id, outcome);
      });
    });
  }

  private Future<TmdbMatcher.Match> match(Recognition recognition) {
    boolean tv = "episode".equals(recognition.type());
    if (recognition.tmdbId() != null) {
      long tmdbId = recognition.tmdbId();
      return (tv ? tmdb.tv(tmdbId) : tmdb.movie(tmdbId)).map(details -> new TmdbMatcher.Match(tmdbId,
          details.getString(tv ? "name" : "title"),
          TmdbMatcher.yearOf(details.getString(tv ? "first_air_date" : "release_date")), 1.0));
    }
    if (tv) {
      return tmdb.searchTv(recognition.title(), null)
          .map(results -> matcher.best(results, recognition.title(), recognition.year(), true));
    }
    return tmdb.searchMovie(recognition.title(), recognition.year()).compose(results -> {
      TmdbMatcher.Match best = matcher.best(results, recognition.title(), recognition.year(), false);
      if (best != null || recognition.year() == null) {
        return Future.succeededFuture(best);
      }
      // a year that is off (a festival or re-release date) must not hide the film: look again without it
      return tmdb.searchMovie(recognition.title(), null)
          .map(more -> matcher.best(more, recognition.title(), recognition.year(), false));
    });
  }

  private JsonObject failure(long id, Throwable e) {
    if (e instanceof TmdbFailure failure && failure.kind != TmdbFailure.Kind.NOT_FOUND) {
      LOG.warn("media file={} decision=retry-later in={}s reason=\"{}\"", id, settings.retryLaterS(), failure.getMessage());
      return new JsonObject().put("id", id).put("status", "PENDING").put("reason", failure.getMessage())
          .put("retry_in_s", settings.retryLaterS());
    }
    return decided(id, new JsonObject().put("status", "FAILED").put("reason", String.valueOf(e.getMessage())));
  }

  private static JsonObject decided(long id, JsonObject outcome) {
    outcome.put("id", id);
    LOG.info("media file={} decision={} reason=\"{}\" target=\"{}\"", id, outcome.getString("status"),
        outcome.getString("reason", ""), outcome.getString("target_path", ""));
    return outcome;
  }

  private static JsonObject recognitionFields(Recognition recognition, String source) {
    return new JsonObject()
        .put("media_type", recognition.type())
        .put("title", recognition.title())
        .put("year", recognition.year())
        .put("season", recognition.season())
        .put("episode", recognition.episode())
        .put("recognized_by", source);
  }
}
