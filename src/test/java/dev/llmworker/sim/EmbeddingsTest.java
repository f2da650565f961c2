package dev.llmworker.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The simulator's deterministic vectors, without HTTP. */
class EmbeddingsTest {
  private static final String MODEL = "text-embedding-3-small";

  private static double norm(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }

  @Test
  @DisplayName("the same model, input and dimensions give the same unit vector; another input or model another")
  void deterministic() {
    float[] a = Embeddings.vector(MODEL, "the quick brown fox", 1536);
    assertArrayEquals(a, Embeddings.vector(MODEL, "the quick brown fox", 1536));
    assertEquals(1536, a.length);
    assertEquals(1.0, norm(a), 1e-5);
    assertFalse(Arrays.equals(a, Embeddings.vector(MODEL, "the quick brown fox.", 1536)));
    assertFalse(Arrays.equals(a, Embeddings.vector("text-embedding-3-large", "the quick brown fox", 1536)));
    assertFalse(Arrays.equals(Embeddings.vector(MODEL, new int[] {1, 2, 3}, 8),
        Embeddings.vector(MODEL, new int[] {1, 2, 4}, 8)));
    assertArrayEquals(Embeddings.vector(MODEL, new int[] {1, 2, 3}, 8), Embeddings.vector(MODEL, new int[] {1, 2, 3},
        8));
  }

  @Test
  @DisplayName("a shorter vector is the renormalised prefix of a longer one, as with text-embedding-3's dimensions")
  void dimensionsArePrefixes() {
    float[] full = Embeddings.vector(MODEL, "prefix", 1536);
    float[] short256 = Embeddings.vector(MODEL, "prefix", 256);
    assertEquals(256, short256.length);
    assertEquals(1.0, norm(short256), 1e-5);
    double scale = norm(Arrays.copyOf(full, 256));
    for (int i = 0; i < 256; i++) {
      assertEquals(full[i] / scale, short256[i], 1e-6);
    }
    float[] raw = Embeddings.unnormalised(MODEL, "prefix", 256);
    assertTrue(norm(raw) > 2, "Titan's normalize=false vector is not of length 1: " + norm(raw));
    assertEquals(raw[0] / norm(raw), short256[0], 1e-6);
  }

  @Test
  @DisplayName("base64 is the float32 values little-endian, and decodes back to the same floats")
  void base64() {
    float[] vector = Embeddings.vector(MODEL, "encode me", 64);
    String encoded = Embeddings.base64(vector);
    assertArrayEquals(vector, Embeddings.fromBase64(encoded));
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded));
    assertEquals(64 * 4, bytes.remaining());
    assertEquals(vector[1], bytes.order(ByteOrder.LITTLE_ENDIAN).getFloat(4));
  }

  @Test
  @DisplayName("full lengths: 3072 for a *large* model, 1024 for Titan v2 and Cohere v3, 1536 for any other")
  void defaultDimensions() {
    assertEquals(3072, Embeddings.defaultDimensions("text-embedding-3-large"));
    assertEquals(1536, Embeddings.defaultDimensions("text-embedding-3-small"));
    assertEquals(1536, Embeddings.defaultDimensions("my-deployment"));
    assertEquals(1024, Embeddings.defaultDimensions("amazon.titan-embed-text-v2:0"));
    assertEquals(1024, Embeddings.defaultDimensions("cohere.embed-multilingual-v3"));
  }
}
