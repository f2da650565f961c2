package dev.llmworker.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The simulator's embedding vectors, public so a test can compute what the simulator answers for an input (in any
 * dialect) and compare it with what a client returns.
 *
 * <p>A vector depends only on the model, the input and the dimensions: a 64-bit FNV-1a hash of the model and the
 * input seeds a SplitMix64 sequence whose first {@code dimensions} draws, each uniform in [-1, 1), are scaled to
 * length 1 (L2-normalised, like OpenAI's), then rounded to float32 as they go on the wire. As with OpenAI's
 * text-embedding-3 models, a shorter vector is a renormalised prefix of a longer one. Text and token-id inputs hash
 * differently, so a token array never shares a vector with a text.
 */
public final class Embeddings {
  /** Dimensions of a model whose name contains "large" (text-embedding-3-large). */
  public static final int LARGE_DIMENSIONS = 3072;
  /** Dimensions of any other OpenAI model (text-embedding-3-small, text-embedding-ada-002, unknown names). */
  public static final int SMALL_DIMENSIONS = 1536;
  /** Dimensions of Bedrock's Titan Text Embeddings v2 (default) and Cohere Embed v3. */
  public static final int BEDROCK_DIMENSIONS = 1024;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private Embeddings() {}

  /** The model's full length, and the default when a request sets no {@code dimensions}. */
  public static int defaultDimensions(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    if (name.startsWith("amazon.titan-embed") || name.startsWith("cohere.embed")) {
      return BEDROCK_DIMENSIONS;
    }
    return name.contains("large") ? LARGE_DIMENSIONS : SMALL_DIMENSIONS;
  }

  /** The unit-length vector the simulator answers for a text input. */
  public static float[] vector(String model, String input, int dimensions) {
    return normalised(raw(textSeed(model, input), dimensions));
  }

  /** The unit-length vector the simulator answers for an input of token ids. */
  public static float[] vector(String model, int[] tokens, int dimensions) {
    return normalised(raw(tokenSeed(model, tokens), dimensions));
  }

  /** What Titan answers with {@code "normalize": false}: the same draws before scaling, so not of length 1. */
  public static float[] unnormalised(String model, String input, int dimensions) {
    double[] raw = raw(textSeed(model, input), dimensions);
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) raw[i];
    }
    return vector;
  }

  /** OpenAI's {@code encoding_format: "base64"}: the float32 values little-endian, base64-encoded. */
  public static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /** The inverse of {@link #base64(float[])}. */
  public static float[] fromBase64(String encoded) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(vector);
    return vector;
  }

  private static long textSeed(String model, String input) {
    long hash = fnv(fnv(FNV_OFFSET, model.getBytes(StandardCharsets.UTF_8)), new byte[] {0});
    return fnv(hash, input.getBytes(StandardCharsets.UTF_8));
  }

  private static long tokenSeed(String model, int[] tokens) {
    ByteBuffer ids = ByteBuffer.allocate(tokens.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    ids.asIntBuffer().put(tokens);
    long hash = fnv(fnv(FNV_OFFSET, model.getBytes(StandardCharsets.UTF_8)), new byte[] {1});
    return fnv(hash, ids.array());
  }

  private static long fnv(long hash, byte[] bytes) {
    for (byte b : bytes) {
      hash = (hash ^ (b & 0xff)) * FNV_PRIME;
    }
    return hash;
  }

  /** The first {@code dimensions} SplitMix64 draws from {@code seed}, each mapped to [-1, 1). */
  private static double[] raw(long seed, int dimensions) {
    double[] values = new double[dimensions];
    long state = seed;
    for (int i = 0; i < dimensions; i++) {
      state += GOLDEN_GAMMA;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      z ^= z >>> 31;
      values[i] = (z >>> 11) * 0x1.0p-53 * 2 - 1;
    }
    return values;
  }

  private static float[] normalised(double[] raw) {
    double sum = 0;
    for (double v : raw) {
      sum += v * v;
    }
    double norm = Math.sqrt(sum);
    float[] vector = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      vector[i] = (float) (raw[i] / norm);
    }
    return vector;
  }
}
