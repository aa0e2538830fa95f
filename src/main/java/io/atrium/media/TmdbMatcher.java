package io.atrium.media;

import io.atrium.text.EditDistance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Picks the TMDB search result a recognised name means, or none: title similarity (to the title and the original
 * title, after folding case, accents and punctuation) times a year factor is the confidence; popularity only breaks
 * near-ties. Below {@code minConfidence} there is no match: a weak match must not become a wrong link.
 */
final class TmdbMatcher {
  /** The chosen entry: TMDB id, its title and year as TMDB spells them, and the confidence. */
  record Match(long tmdbId, String title, Integer year, double confidence) {
  }

  private final double minConfidence;

  TmdbMatcher(double minConfidence) {
    this.minConfidence = minConfidence;
  }

  /** The best candidate of {@code results} (search/movie or search/tv), or null when none is confident. */
  Match best(JsonArray results, String title, Integer year, boolean tv) {
    Match best = null;
    double bestRank = -1;
    for (Object item : results) {
      if (!(item instanceof JsonObject candidate)) {
        continue;
      }
      String name = candidate.getString(tv ? "name" : "title");
      String original = candidate.getString(tv ? "original_name" : "original_title");
      Integer candidateYear = yearOf(candidate.getString(tv ? "first_air_date" : "release_date"));
      double similarity = Math.max(similarity(title, name), similarity(title, original));
      double confidence = similarity * yearFactor(year, candidateYear, tv);
      double rank = confidence + Math.min(0.02, Math.log10(1 + candidate.getDouble("popularity", 0.0)) / 200);
      if (rank > bestRank && name != null && candidate.getValue("id") instanceof Number id) {
        bestRank = rank;
        best = new Match(id.longValue(), name, candidateYear, confidence);
      }
    }
    return best != null && best.confidence() >= minConfidence ? best : null;
  }

  /** A series' episodes carry their own air year, so a TV year is weaker evidence than a movie's. */
  static double yearFactor(Integer wanted, Integer candidate, boolean tv) {
    if (wanted == null || candidate == null) {
      return 0.95;
    }
    int diff = Math.abs(wanted - candidate);
    if (diff == 0) {
      return 1.0;
    }
    if (diff == 1) {
      return 0.9;
    }
    return tv ? 0.85 : 0.5;
  }

  /** 1 for equal titles after folding; else one minus the edit distance over the longer length. */
  static double similarity(String a, String b) {
    if (a == null || b == null) {
      return 0;
    }
    String x = fold(a);
    String y = fold(b);
    if (x.isEmpty() || y.isEmpty()) {
      return 0;
    }
    if (x.equals(y)) {
      return 1;
    }
    double similarity = 1.0 - (double) EditDistance.between(x, y) / Math.max(x.length(), y.length());
    // "Fight Club 2" is not "Fight Club": differing numbers are different films or seasons of a franchise
    return x.replaceAll("\\D+", " ").strip().equals(y.replaceAll("\\D+", " ").strip()) ? similarity : similarity * 0.6;
  }

  static String fold(String title) {
    String text = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
        .replace("&", " and ");
    text = text.replaceAll("^(the|a|an)\\s+", "");
    return text.replaceAll("[^\\p{L}\\p{N}]+", "");
  }

  static Integer yearOf(String date) {
    if (date == null || date.length() < 4) {
      return null;
    }
    try {
      return Integer.parseInt(date.substring(0, 4));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
