package org.periodicbackups.core.restore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Computes the SHA-256 and size of the raw bytes read through it. */
final class Sha256InputStream extends FilterInputStream {
  private final MessageDigest digest;
  private long size;

  Sha256InputStream(InputStream in) {
    super(in);
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      digest.update((byte) b);
      size++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      digest.update(buffer, offset, n);
      size += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes would be missing from the digest; read them instead.
    byte[] buffer = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads whatever the parser left (such as padding after the gzip data), so all bytes count. */
  void drain() throws IOException {
    byte[] buffer = new byte[8192];
    while (read(buffer, 0, buffer.length) >= 0) {
      // counted by read
    }
  }

  long size() {
    return size;
  }

  /** The digest of everything read; call once, after {@link #drain()}. */
  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
