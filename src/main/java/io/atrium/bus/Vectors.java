package io.atrium.bus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Vectors travel on the bus and sit in SQLite as little-endian float32 bytes (base64 in JSON). */
public final class Vectors {
  private Vectors() {
  }

  public static byte[] toBytes(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }

  public static float[] fromBytes(byte[] bytes) {
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }

  public static String toBase64(float[] vector) {
    return Base64.getEncoder().encodeToString(toBytes(vector));
  }

  public static float[] fromBase64(String text) {
    return fromBytes(Base64.getDecoder().decode(text));
  }
}
