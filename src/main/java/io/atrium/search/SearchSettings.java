package io.atrium.search;

import io.vertx.core.json.JsonObject;

/** The search section of conf/atrium.yaml. */
record SearchSettings(int defaultTopK, int maxTopK, int candidates, String fusion, int rrfK, double foreignScriptVectorWeight,
    double weightedVectorWeight, double weightedForeignVectorWeight) {

  static SearchSettings fromJson(JsonObject json) {
    return new SearchSettings(json.getInteger("default_top_k", 10), json.getInteger("max_top_k", 200),
        json.getInteger("candidates", 100), json.getString("fusion", "weighted"), json.getInteger("rrf_k", 60),
        json.getDouble("foreign_script_vector_weight", 0.25), json.getDouble("weighted_vector_weight", 0.65),
        json.getDouble("weighted_foreign_vector_weight", 0.1));
  }
}
