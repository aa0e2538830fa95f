package io.atrium.search;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/** The search section of conf/atrium.yaml. */
record SearchSettings(int defaultTopK, int maxTopK, int candidates, String fusion, int rrfK, double foreignScriptVectorWeight,
    double weightedVectorWeight, double weightedForeignVectorWeight, String engine, String vectorIndex,
    long exactVectorLimit, long commitIntervalMs) {

  static SearchSettings fromJson(JsonObject json) {
    ConfigSection search = new ConfigSection("search", json);
    String engine = search.string("engine");
    if (!"lucene".equals(engine) && !"fts5".equals(engine)) {
      throw new IllegalArgumentException("search.engine must be lucene or fts5, not " + engine);
    }
    String vectorIndex = search.string("vector_index");
    if (!"auto".equals(vectorIndex) && !"exact".equals(vectorIndex) && !"hnsw".equals(vectorIndex)) {
      throw new IllegalArgumentException("search.vector_index must be auto, exact or hnsw, not " + vectorIndex);
    }
    return new SearchSettings(search.integer("default_top_k"), search.integer("max_top_k"),
        search.integer("candidates"), search.string("fusion"), search.integer("rrf_k"),
        search.decimal("foreign_script_vector_weight"), search.decimal("weighted_vector_weight"),
        search.decimal("weighted_foreign_vector_weight"), engine, vectorIndex,
        search.longInteger("exact_vector_limit"), search.longInteger("lucene_commit_interval_ms"));
  }

  /** Whether vectors are searched in Lucene's HNSW graph rather than by the exact scan, given how many there are. */
  boolean approximateVectors(long chunks) {
    return "hnsw".equals(vectorIndex) || ("auto".equals(vectorIndex) && chunks > exactVectorLimit);
  }
}
