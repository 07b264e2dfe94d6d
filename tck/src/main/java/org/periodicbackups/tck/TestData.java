package org.periodicbackups.tck;

import java.util.SplittableRandom;

/** Deterministic file content: the seed and a label give the bytes, so failures can be replayed. */
final class TestData {
  private TestData() {}

  /** {@code size} bytes drawn from a generator seeded with {@code seed} and {@code label}. */
  static byte[] bytes(long seed, String label, int size) {
    // String.hashCode is specified, so the same label gives the same stream on every JVM.
    SplittableRandom random = new SplittableRandom(seed * 31 + label.hashCode());
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i += 8) {
      long next = random.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        bytes[i + j] = (byte) (next >>> (8 * j));
      }
    }
    return bytes;
  }
}
