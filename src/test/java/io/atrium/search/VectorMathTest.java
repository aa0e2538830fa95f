package io.atrium.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorMathTest {

  @Test
  void theTestJvmHasTheVectorApiSoTheSimdKernelIsTheOneUnderTest() {
    assertThat(VectorMath.SIMD).isTrue();
  }

  @Test
  void simdAndScalarDotProductsAgreeForAnyDimensionAndOffset() {
    Random random = new Random(7);
    for (int dim : new int[] {1, 3, 8, 17, 384, 512, 1023}) {
      float[] query = new float[dim];
      float[] flat = new float[dim * 3 + 5];
      for (int i = 0; i < dim; i++) {
        query[i] = random.nextFloat() - 0.5f;
      }
      for (int i = 0; i < flat.length; i++) {
        flat[i] = random.nextFloat() - 0.5f;
      }
      for (int offset : new int[] {0, 5, dim * 2}) {
        double exact = 0;
        for (int i = 0; i < dim; i++) {
          exact += (double) query[i] * flat[offset + i];
        }
        assertThat((double) SimdDot.dot(query, flat, offset, dim)).isCloseTo(exact, within(1e-4));
        assertThat((double) VectorMath.scalarDot(query, flat, offset, dim)).isCloseTo(exact, within(1e-4));
      }
    }
  }
}
