package io.atrium.embed;

import io.vertx.core.Future;
import java.util.List;

/** Turns texts into unit-length vectors. Two implementations: in-process ONNX and a remote OpenAI-compatible API. */
public interface Embedder {
  /** Name recorded beside every stored vector; a different name means the vectors must be rebuilt. */
  String model();

  /** The script the model was trained on: "latin", "cjk", or "any" (multilingual or unknown). */
  String language();

  /** Vector length, or 0 while unknown (a remote model before its first answer). */
  int dimension();

  /** Embeds a search query; served ahead of document work. */
  Future<float[]> embedQuery(String text);

  /** Embeds document chunks in order; {@code progress} is told how many are done so far. */
  Future<List<float[]>> embedDocuments(List<String> texts, ProgressListener progress);

  void close();

  @FunctionalInterface
  interface ProgressListener {
    void done(int finished, int total);
  }

  static float[] normalize(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    float scale = norm == 0 ? 0 : (float) (1.0 / Math.sqrt(norm));
    for (int i = 0; i < vector.length; i++) {
      vector[i] *= scale;
    }
    return vector;
  }
}
