package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic content for tests, generated on the fly so that tests hold no big arrays. */
final class TestData {
  private TestData() {}

  /** {@code size} pseudo-random bytes from a fixed linear congruential sequence. */
  static InputStream bytes(long size, long seed) {
    return new InputStream() {
      private long remaining = size;
      private long state = seed;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (remaining == 0) {
          return -1;
        }
        int n = (int) Math.min(length, remaining);
        for (int i = 0; i < n; i++) {
          state = state * 6364136223846793005L + 1442695040888963407L;
          buffer[offset + i] = (byte) (state >>> 56);
        }
        remaining -= n;
        return n;
      }
    };
  }

  /** The hex SHA-256 of a stream's remaining bytes; the stream is not closed. */
  static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
