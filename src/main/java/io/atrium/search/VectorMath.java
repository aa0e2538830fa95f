package io.atrium.search;

/**
 * Dot products for the exact scan: with the JDK Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (scripts/run, the Dockerfile and the tests do; ~4× faster here),
 * else a plain loop, so {@code java -jar} alone still works.
 */
public final class VectorMath {
  public static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private VectorMath() {
  }

  public static float dot(float[] query, float[] flat, int offset, int dim) {
    return SIMD ? SimdDot.dot(query, flat, offset, dim) : scalarDot(query, flat, offset, dim);
  }

  static float scalarDot(float[] query, float[] flat, int offset, int dim) {
    float sum0 = 0;
    float sum1 = 0;
    float sum2 = 0;
    float sum3 = 0;
    int i = 0;
    for (; i + 3 < dim; i += 4) {
      sum0 += query[i] * flat[offset + i];
      sum1 += query[i + 1] * flat[offset + i + 1];
      sum2 += query[i + 2] * flat[offset + i + 2];
      sum3 += query[i + 3] * flat[offset + i + 3];
    }
    for (; i < dim; i++) {
      sum0 += query[i] * flat[offset + i];
    }
    return sum0 + sum1 + sum2 + sum3;
  }
}
