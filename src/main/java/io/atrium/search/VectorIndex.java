package io.atrium.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact in-memory vector search. Each resource's vectors sit in one flat float array (a segment), so replacing or
 * removing a file swaps one immutable segment and a scan reads memory in order. Vectors are unit length, so the
 * dot product is the cosine similarity. Safe for concurrent scans while segments are swapped.
 */
public final class VectorIndex {
  private final Map<Long, Segment> segments = new ConcurrentHashMap<>();
  private volatile int dimension;

  public void put(long resourceId, long[] chunkIds, float[] flat, int dimension) {
    if (chunkIds.length == 0) {
      segments.remove(resourceId);
      return;
    }
    if (flat.length != chunkIds.length * dimension) {
      throw new IllegalArgumentException("vectors do not match " + chunkIds.length + " × " + dimension);
    }
    this.dimension = dimension;
    segments.put(resourceId, new Segment(chunkIds, flat));
  }

  public void remove(long resourceId) {
    segments.remove(resourceId);
  }

  public int size() {
    return segments.values().stream().mapToInt(s -> s.chunkIds.length).sum();
  }

  public int dimension() {
    return dimension;
  }

  /** The k best chunks by cosine similarity, best first; {@code allowed} limits the resources (null: all). */
  public List<Hit> search(float[] query, int k, Set<Long> allowed) {
    PriorityQueue<Hit> best = new PriorityQueue<>(k + 1, (a, b) -> Float.compare(a.score(), b.score()));
    int dim = query.length;
    for (Map.Entry<Long, Segment> entry : segments.entrySet()) {
      long resourceId = entry.getKey();
      if (allowed != null && !allowed.contains(resourceId)) {
        continue;
      }
      Segment segment = entry.getValue();
      if (segment.flat.length != segment.chunkIds.length * dim) {
        continue; // vectors of another model's dimension: not comparable
      }
      float[] flat = segment.flat;
      for (int row = 0, offset = 0; row < segment.chunkIds.length; row++, offset += dim) {
        float score = VectorMath.dot(query, flat, offset, dim);
        if (best.size() < k) {
          best.add(new Hit(segment.chunkIds[row], resourceId, score));
        } else if (score > best.peek().score()) {
          best.poll();
          best.add(new Hit(segment.chunkIds[row], resourceId, score));
        }
      }
    }
    List<Hit> hits = new ArrayList<>(best);
    hits.sort((a, b) -> Float.compare(b.score(), a.score()));
    return hits;
  }

  public record Hit(long chunkId, long resourceId, float score) {
  }

  private record Segment(long[] chunkIds, float[] flat) {
  }
}
