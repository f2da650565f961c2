package dev.llmworker.client;

/**
 * The custom_ids a command has seen, with a number for each (the line it was first on), in 12 bytes per id:
 * files of millions of lines must not need their ids as strings in memory. Ids are kept as 64-bit hashes; two
 * different ids share one with a chance of about n²/2⁶⁵ (1 in 300,000 for ten million ids).
 */
public final class SeenIds {
  private static final long EMPTY = 0;

  private long[] keys = new long[1 << 12];
  private int[] values = new int[1 << 12];
  private int size;

  /** Records {@code id} with {@code value} unless seen; returns the value it was first recorded with, or -1. */
  public int putIfAbsent(String id, int value) {
    long key = hash(id);
    int slot = find(key);
    if (keys[slot] == key) {
      return values[slot];
    }
    keys[slot] = key;
    values[slot] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
    return -1;
  }

  public boolean contains(String id) {
    long key = hash(id);
    return keys[find(key)] == key;
  }

  public int size() {
    return size;
  }

  private int find(long key) {
    int mask = keys.length - 1;
    int slot = (int) (key ^ (key >>> 32)) & mask;
    while (keys[slot] != EMPTY && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = find(oldKeys[i]);
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }

  /** FNV-1a over the UTF-16 units, then MurmurHash3's 64-bit finaliser; never 0 (the empty slot). */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= id.length();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb93a2ae5fbccL;
    h ^= h >>> 33;
    return h == EMPTY ? 1 : h;
  }
}
