package io.atrium.search;

import io.vertx.core.json.JsonObject;

/** The search section of conf/atrium.yaml. */
record SearchSettings(int defaultTopK, int maxTopK, int candidates, String fusion, int rrfK, double foreignScriptVectorWeight,
    double weightedVectorWeight, double weightedForeignVectorWeight, String engine, String vectorIndex,
    long exactVectorLimit, long commitIntervalMs) {

  static SearchSettings fromJson(JsonObject json) {
    String engine = json.getString("engine", "lucene");
    if (!"lucene".equals(engine) && !"fts5".equals(engine)) {
      throw new IllegalArgumentException("search.engine must be lucene or fts5, not " + engine);
    }
    String vectorIndex = json.getString("vector_index", "auto");
    if (!"auto".equals(vectorIndex) && !"exact".equals(vectorIndex) && !"hnsw".equals(vectorIndex)) {
      throw new IllegalArgumentException("search.vector_index must be auto, exact or hnsw, not " + vectorIndex);
    }
    return new SearchSettings(json.getInteger("default_top_k", 10), json.getInteger("max_top_k", 200),
        json.getInteger("candidates", 100), json.getString("fusion", "weighted"), json.getInteger("rrf_k", 60),
        json.getDouble("foreign_script_vector_weight", 0.25), json.getDouble("weighted_vector_weight", 0.65),
        json.getDouble("weighted_foreign_vector_weight", 0.1), engine, vectorIndex,
        json.getLong("exact_vector_limit", 500_000L), json.getLong("lucene_commit_interval_ms", 1000L));
  }

  /** Whether vectors are searched in Lucene's HNSW graph rather than by the exact scan, given how many there are. */
  boolean approximateVectors(long chunks) {
    return "hnsw".equals(vectorIndex) || ("auto".equals(vectorIndex) && chunks > exactVectorLimit);
  }
}
