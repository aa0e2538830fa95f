package io.atrium.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Merges the full-text and vector rankings (chunk ids, best first) into one ranking. */
public final class Fusion {
  private Fusion() {
  }

  /** One engine's hit: a chunk and the engine's own score (higher is better). */
  public record Scored(long chunkId, double score) {
  }

  /**
   * One fused result: its score and its 1-based rank in each list (null where it was absent); the engines' own
   * scores when they were known (for {@code explain}).
   */
  public record Fused(long chunkId, double score, Integer ftsRank, Integer vectorRank, Double ftsScore, Double vectorScore) {
    public Fused(long chunkId, double score, Integer ftsRank, Integer vectorRank) {
      this(chunkId, score, ftsRank, vectorRank, null, null);
    }
  }

  /**
   * Score-normalised weighted fusion: each list's scores are min-max normalised over the list (so bm25 and cosine
   * become comparable), then combined as {@code vectorWeight * vector + (1 - vectorWeight) * fts}; a chunk missing
   * from a list gets 0 from it.
   */
  public static List<Fused> weighted(List<Scored> fts, List<Scored> vector, double vectorWeight, int limit) {
    Map<Long, Double> ftsNorm = normalised(fts);
    Map<Long, Double> vectorNorm = normalised(vector);
    Map<Long, Integer> ftsRanks = ranks(ids(fts));
    Map<Long, Integer> vectorRanks = ranks(ids(vector));
    Map<Long, Double> ftsRaw = raw(fts);
    Map<Long, Double> vectorRaw = raw(vector);
    Map<Long, Double> scores = new LinkedHashMap<>();
    ftsNorm.forEach((id, score) -> scores.merge(id, (1 - vectorWeight) * score, Double::sum));
    vectorNorm.forEach((id, score) -> scores.merge(id, vectorWeight * score, Double::sum));
    return scores.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .limit(limit)
        .map(e -> new Fused(e.getKey(), e.getValue(), ftsRanks.get(e.getKey()), vectorRanks.get(e.getKey()),
            ftsRaw.get(e.getKey()), vectorRaw.get(e.getKey())))
        .toList();
  }

  public static List<Long> ids(List<Scored> hits) {
    List<Long> ids = new ArrayList<>(hits.size());
    hits.forEach(hit -> ids.add(hit.chunkId()));
    return ids;
  }

  private static Map<Long, Double> normalised(List<Scored> hits) {
    Map<Long, Double> normalised = new HashMap<>();
    if (hits.isEmpty()) {
      return normalised;
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (Scored hit : hits) {
      min = Math.min(min, hit.score());
      max = Math.max(max, hit.score());
    }
    double range = max - min;
    for (Scored hit : hits) {
      normalised.putIfAbsent(hit.chunkId(), range <= 0 ? 1.0 : (hit.score() - min) / range);
    }
    return normalised;
  }

  private static Map<Long, Double> raw(List<Scored> hits) {
    Map<Long, Double> raw = new HashMap<>();
    hits.forEach(hit -> raw.putIfAbsent(hit.chunkId(), hit.score()));
    return raw;
  }

  /** Reciprocal-rank fusion: score = Σ 1 / (k + rank). */
  public static List<Fused> reciprocalRank(List<Long> fts, List<Long> vector, int k, int limit) {
    return reciprocalRank(fts, vector, k, limit, 1.0);
  }

  /** Weighted reciprocal-rank fusion: score = 1 / (k + fts rank) + vectorWeight / (k + vector rank). */
  public static List<Fused> reciprocalRank(List<Long> fts, List<Long> vector, int k, int limit, double vectorWeight) {
    Map<Long, Integer> ftsRanks = ranks(fts);
    Map<Long, Integer> vectorRanks = ranks(vector);
    Map<Long, Double> scores = new LinkedHashMap<>();
    ftsRanks.forEach((id, rank) -> scores.merge(id, 1.0 / (k + rank), Double::sum));
    vectorRanks.forEach((id, rank) -> scores.merge(id, vectorWeight / (k + rank), Double::sum));
    return scores.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .limit(limit)
        .map(e -> new Fused(e.getKey(), e.getValue(), ftsRanks.get(e.getKey()), vectorRanks.get(e.getKey())))
        .toList();
  }

  /**
   * Seed 000's MVP merge: the union of both lists without duplicates, taking from the vector and full-text lists
   * in turn; the score is 1 / position in the merged list.
   */
  public static List<Fused> dedupe(List<Long> fts, List<Long> vector, int limit) {
    Map<Long, Integer> ftsRanks = ranks(fts);
    Map<Long, Integer> vectorRanks = ranks(vector);
    List<Long> merged = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < Math.max(fts.size(), vector.size()) && merged.size() < limit; i++) {
      if (i < vector.size() && seen.add(vector.get(i))) {
        merged.add(vector.get(i));
      }
      if (i < fts.size() && seen.add(fts.get(i)) && merged.size() < limit) {
        merged.add(fts.get(i));
      }
    }
    List<Fused> result = new ArrayList<>(merged.size());
    for (int i = 0; i < merged.size() && i < limit; i++) {
      long id = merged.get(i);
      result.add(new Fused(id, 1.0 / (i + 1), ftsRanks.get(id), vectorRanks.get(id)));
    }
    return result;
  }

  private static Map<Long, Integer> ranks(List<Long> ids) {
    Map<Long, Integer> ranks = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      ranks.putIfAbsent(ids.get(i), i + 1);
    }
    return ranks;
  }
}
