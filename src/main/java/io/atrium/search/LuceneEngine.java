package io.atrium.search;

import io.atrium.bus.Addresses;
import io.atrium.bus.ErrorCode;
import io.atrium.storage.ChunkSource;
import io.atrium.text.SearchText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Lucene as a full-text engine (and, when {@code vectorModel} is given, the HNSW vector index), kept in step
 * with SQLite. Runs on the search verticle's context; every Lucene call goes to a worker.
 *
 * <p>Changes are applied one at a time, in seq order, each by reading the resource's current chunks from the store:
 * at start the index catches up from the seq its last commit recorded (or is rebuilt, with progress events, when
 * it is missing, unreadable, ahead of the database or holds another model's vectors), then it follows
 * {@link Addresses#EVENTS_INDEX_CHANGED}. Commits happen on a timer; a crash loses at most what the next start
 * replays. Until the start-up sync is done the engine is not {@link #ready()} and the search verticle answers
 * from FTS5. A search waits for the changes already announced, so a client that saw "done" finds the file.
 */
final class LuceneEngine implements FullTextEngine {
  private static final Logger LOG = LoggerFactory.getLogger(LuceneEngine.class);
  private static final int REBUILD_PAGE = 2000;
  private static final long PROGRESS_EVERY_MS = 1000;
  private static final long RETRY_MS = 5000;

  private final Vertx vertx;
  private final ChunkSource chunks;
  private final Path path;
  private final String vectorModel;
  private final long commitIntervalMs;
  private LuceneIndex index;
  private Future<Void> tail = Future.succeededFuture();
  private long appliedSeq = -1;
  /** Announced changes whose application failed; they are retried, and no commit records a seq past them. */
  private final TreeSet<Long> unapplied = new TreeSet<>();
  private long committedSeq = -1;
  private boolean committing;
  private boolean ready;
  private int changesDuringSync;
  private String state = "opening";
  private long timer = -1;

  /** @param vectorModel the embedding model whose vectors the index keeps for HNSW search, or null for none */
  LuceneEngine(Vertx vertx, ChunkSource chunks, Path path, String vectorModel, long commitIntervalMs) {
    this.vertx = vertx;
    this.chunks = chunks;
    this.path = path;
    this.vectorModel = vectorModel;
    this.commitIntervalMs = commitIntervalMs;
  }

  @Override
  public String name() {
    return "lucene";
  }

  boolean ready() {
    return ready;
  }

  /** Opens the index and starts the sync in the background; answers once the index is open. */
  Future<Void> start() {
    return vertx.executeBlocking(() -> LuceneIndex.open(path)).map(opened -> {
      index = opened;
      appliedSeq = opened.appliedSeq();
      committedSeq = appliedSeq;
      tail = syncAtStart().recover(e -> {
        state = "error: " + e.getMessage();
        LOG.error("lucene index at {} could not be synced with SQLite; full-text search stays on FTS5", path, e);
        publish("error", 0, 0);
        return Future.succeededFuture();
      });
      timer = vertx.setPeriodic(commitIntervalMs, id -> commitIfBehind());
      return null;
    });
  }

  private Future<Void> syncAtStart() {
    return chunks.snapshot().compose(snapshot -> {
      long databaseSeq = snapshot.lastSeq();
      long chunkCount = snapshot.chunks();
      boolean vectorsMissing = vectorModel != null && !vectorModel.equals(index.vectorModel());
      if (appliedSeq < 0 || appliedSeq > databaseSeq || vectorsMissing) {
        LOG.info("lucene index at {} is rebuilt from SQLite ({} chunks): {}", path, chunkCount,
            appliedSeq < 0 ? "it was missing or unreadable" : appliedSeq > databaseSeq ? "it is ahead of the database"
                : "it holds no vectors of " + vectorModel);
        return rebuild(databaseSeq, chunkCount);
      }
      return catchUp().compose(v -> verify(chunkCount, databaseSeq));
    }).onSuccess(v -> {
      ready = true;
      state = "ready";
      publish("ready", 0, 0);
    });
  }

  private Future<Void> catchUp() {
    state = "catching up";
    return chunks.changesSince(appliedSeq).compose(changes -> {
      if (!changes.isEmpty()) {
        LOG.info("lucene index catches up {} resource changes after seq {}", changes.size(), appliedSeq);
        publish("catching_up", 0, changes.size());
      }
      Future<Void> chain = Future.succeededFuture();
      for (ChunkSource.IndexChange change : changes) {
        chain = chain.compose(v -> apply(change.seq(), change.resourceId()));
      }
      return chain;
    });
  }

  /** A count that differs from SQLite's after catching up means the index missed something: rebuild it. */
  private Future<Void> verify(long chunksInDatabase, long databaseSeq) {
    return vertx.executeBlocking(() -> {
      index.refresh(); // the searcher still shows the index before the catch-up: its count would be short
      return index.documents();
    }).compose(documents -> {
      if (documents == chunksInDatabase || changesDuringSync > 0 || appliedSeq > databaseSeq) {
        return Future.succeededFuture(); // with changes arriving meanwhile the counts cannot be compared
      }
      LOG.warn("lucene index holds {} chunks, SQLite {}: rebuilding it", documents, chunksInDatabase);
      return rebuild(databaseSeq, chunksInDatabase);
    });
  }

  private Future<Void> rebuild(long databaseSeq, long total) {
    state = "rebuilding";
    publish("rebuilding", 0, total);
    long[] lastPublished = {System.currentTimeMillis()};
    return vertx.executeBlocking(() -> {
      index.deleteAll();
      return null;
    }).compose(v -> rebuildFrom(0L, 0L, total, lastPublished)).compose(done -> vertx.<Void>executeBlocking(() -> {
      index.commit(databaseSeq, vectorModel);
      index.refresh();
      LOG.info("lucene index rebuilt: {} chunks, {} MB on disk", done, index.bytesOnDisk() / (1 << 20));
      return null;
    })).onSuccess(v -> {
      appliedSeq = Math.max(appliedSeq, databaseSeq);
      committedSeq = databaseSeq;
    });
  }

  private Future<Long> rebuildFrom(long afterChunkId, long done, long total, long[] lastPublished) {
    return chunks.indexedChunkPage(afterChunkId, REBUILD_PAGE, vectorModel).map(LuceneEngine::docs).compose(page -> {
      if (page.isEmpty()) {
        return Future.succeededFuture(done);
      }
      return vertx.executeBlocking(() -> {
        index.add(page);
        return null;
      }).compose(v -> {
        long now = System.currentTimeMillis();
        long added = done + page.size();
        state = "rebuilding (" + added + " of " + total + " chunks)";
        if (now - lastPublished[0] >= PROGRESS_EVERY_MS) {
          lastPublished[0] = now;
          publish("rebuilding", added, total);
        }
        return rebuildFrom(page.getLast().chunkId(), added, total, lastPublished);
      });
    });
  }

  /** Follows one {@link Addresses#EVENTS_INDEX_CHANGED} announcement: queued behind every earlier one. */
  void follow(JsonObject change) {
    if (!ready) {
      changesDuringSync++;
    }
    Long seq = change.getLong("seq");
    tail = tail.transform(previous -> apply(seq, change.getLong("resource_id"))
        .onSuccess(v -> unapplied.remove(seq))
        .recover(e -> {
          // commits stay below this change until a retry applies it, so a restart would catch up from before it
          LOG.error("lucene index could not apply change {} of resource {} (retried in {} ms): {}", seq,
              change.getLong("resource_id"), RETRY_MS, e.getMessage());
          if (seq != null) {
            unapplied.add(seq);
          }
          vertx.setTimer(RETRY_MS, id -> follow(change));
          return Future.succeededFuture();
        }));
  }

  /** The seq a commit may record: everything up to it is applied, nothing failed below it. */
  private long committableSeq() {
    return unapplied.isEmpty() ? appliedSeq : Math.min(appliedSeq, unapplied.first() - 1);
  }

  /** @param seq null for a change announced without one */
  private Future<Void> apply(Long seq, long resourceId) {
    if (seq != null && seq <= appliedSeq && !unapplied.contains(seq)) {
      return Future.succeededFuture(); // already in the index (caught up or rebuilt after it was announced)
    }
    return chunks.indexedChunksOf(resourceId, vectorModel).map(LuceneEngine::docs)
        .compose(docs -> vertx.<Void>executeBlocking(() -> {
          index.replace(resourceId, docs);
          return null;
        }))
        .onSuccess(v -> {
          if (seq != null) {
            appliedSeq = Math.max(appliedSeq, seq);
          }
        });
  }

  /** Vectors stay encoded here: the index decodes them on its worker. */
  private static List<LuceneIndex.ChunkDoc> docs(List<ChunkSource.IndexedChunk> chunks) {
    return chunks.stream()
        .map(chunk -> new LuceneIndex.ChunkDoc(chunk.chunkId(), chunk.resourceId(), chunk.text(), chunk.vector()))
        .toList();
  }

  private void commitIfBehind() {
    long seq = committableSeq();
    if (!ready || committing || seq <= committedSeq) {
      return;
    }
    committing = true;
    vertx.executeBlocking(() -> {
      index.commit(seq, vectorModel);
      return null;
    }).onComplete(done -> {
      committing = false;
      if (done.succeeded()) {
        committedSeq = seq;
      } else {
        LOG.error("lucene commit failed: {}", done.cause().getMessage());
      }
    });
  }

  @Override
  public Future<List<Fusion.Scored>> search(SearchRequest request, Future<Set<Long>> allowedResources, int limit) {
    String text = request.terms().stream().map(SearchText.Token::text).collect(Collectors.joining(" "));
    return whenCurrent().compose(v -> allowedResources).compose(resources -> vertx.executeBlocking(() -> {
      index.refresh();
      return index.search(index.terms(text), resources, limit);
    }, false));
  }

  /** The approximate nearest chunks from the HNSW graph; only when the engine keeps vectors. */
  Future<List<Fusion.Scored>> nearest(float[] vector, int k, Future<Set<Long>> allowedResources) {
    return whenCurrent().compose(v -> allowedResources).compose(resources -> vertx.executeBlocking(() -> {
      index.refresh();
      return index.nearest(vector, k, resources);
    }, false));
  }

  /** The HNSW graph as the vector half of a search; only when the engine keeps vectors. */
  VectorSearch hnsw() {
    return new VectorSearch() {
      @Override
      public String name() {
        return "hnsw";
      }

      @Override
      public Future<List<Fusion.Scored>> nearest(float[] query, int k, Future<Set<Long>> allowedResources) {
        return LuceneEngine.this.nearest(query, k, allowedResources);
      }
    };
  }

  /** Completes once every change announced so far is applied; fails while the start-up sync runs. */
  private Future<Void> whenCurrent() {
    if (!ready) {
      return Future.failedFuture(ErrorCode.UNAVAILABLE.exception("the lucene index is not ready: " + state, "engine"));
    }
    return tail;
  }

  String state() {
    return state;
  }

  private void publish(String status, long done, long total) {
    vertx.eventBus().publish(Addresses.EVENTS_SEARCH_INDEX, new JsonObject()
        .put("engine", name()).put("status", status).put("done", done).put("total", total));
  }

  /** Cancels the commit timer, applies what is queued and commits it, then closes the index. */
  Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (index == null) {
      return Future.succeededFuture();
    }
    return tail.transform(v -> vertx.executeBlocking(() -> {
      if (ready) {
        index.commit(committableSeq(), vectorModel);
      }
      index.close();
      return null;
    }));
  }
}
