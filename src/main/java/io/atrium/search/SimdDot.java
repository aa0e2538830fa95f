package io.atrium.search;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API dot product; loaded only when the incubator module is present (see {@link VectorMath}). */
final class SimdDot {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private SimdDot() {
  }

  static float dot(float[] query, float[] flat, int offset, int dim) {
    FloatVector sum = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += SPECIES.length()) {
      sum = FloatVector.fromArray(SPECIES, query, i).fma(FloatVector.fromArray(SPECIES, flat, offset + i), sum);
    }
    float result = sum.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      result += query[i] * flat[offset + i];
    }
    return result;
  }
}
