package org.periodicbackups.core.dump;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The decompressed bytes on their way to the JSON parser, of which it keeps the last chunk read
 * and, on request, every byte from a given offset on: so that the reader can hand out a JSON value
 * exactly as the file holds it, sliced by the parser's byte offsets, instead of re-serialising it
 * token by token. Memory is one chunk of the parser's reads, plus the value being retained.
 */
final class RetainingInputStream extends FilterInputStream {
  private static final int INITIAL = 32 * 1024;

  /** Above this, the buffer of a huge value is given back once the value is taken. */
  private static final int KEEP_AT_MOST = 1024 * 1024;

  private byte[] held = new byte[INITIAL];

  /** Stream offset of {@code held[0]}. */
  private long heldStart;

  private int heldLength;

  /** Stream offset from which every byte is kept, or -1: only the last chunk is kept. */
  private long retainFrom = -1;

  /** Length of the last chunk read, the end of {@code held}. */
  private int lastChunk;

  private final byte[] one = new byte[1];

  RetainingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      hold(b, off, n);
    }
    return n;
  }

  /** Skips by reading, so that the bytes skipped are held like any others. */
  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.max(1, Math.min(n, 8192))];
    long skipped = 0;
    while (skipped < n) {
      int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void hold(byte[] b, int off, int n) {
    long keepFrom = retainFrom >= 0 ? retainFrom : heldStart + heldLength;
    int drop = (int) Math.min(heldLength, Math.max(0, keepFrom - heldStart));
    if (drop > 0) {
      System.arraycopy(held, drop, held, 0, heldLength - drop);
      heldLength -= drop;
      heldStart += drop;
    }
    if (heldLength + n > held.length) {
      held = Arrays.copyOf(held, Math.max(held.length * 2, heldLength + n));
    }
    System.arraycopy(b, off, held, heldLength, n);
    heldLength += n;
    lastChunk = n;
  }

  /**
   * Keeps every byte from stream offset {@code offset} on, until {@link #release()}.
   *
   * @throws IllegalStateException if those bytes are no longer held (they were read before the last
   *     chunk)
   */
  void retainFrom(long offset) {
    if (offset < heldStart || offset > heldStart + heldLength) {
      throw new IllegalStateException(
          "offset "
              + offset
              + " is not held (held: "
              + heldStart
              + " to "
              + (heldStart + heldLength)
              + ")");
    }
    retainFrom = offset;
  }

  /**
   * How many bytes are held since the offset given to {@link #retainFrom}: what the parser has
   * consumed of the retained value, plus at most one chunk read ahead.
   */
  long retained() {
    return retainFrom < 0 ? 0 : heldStart + heldLength - retainFrom;
  }

  /** Stops retaining; only the last chunk read is kept again. */
  void release() {
    retainFrom = -1;
    if (held.length > KEEP_AT_MOST) {
      int drop = heldLength - lastChunk;
      held = Arrays.copyOfRange(held, drop, drop + Math.max(INITIAL, lastChunk));
      heldStart += drop;
      heldLength = lastChunk;
    }
  }

  /** The byte at stream offset {@code offset}, which must be held. */
  byte byteAt(long offset) {
    requireHeld(offset, offset + 1);
    return held[(int) (offset - heldStart)];
  }

  /**
   * The bytes from stream offset {@code from} (inclusive) to {@code to} (exclusive), which must be
   * held, as UTF-8 text. The caller has had the parser decode them, which refuses malformed UTF-8,
   * so nothing is replaced here.
   */
  String utf8(long from, long to) {
    requireHeld(from, to);
    return new String(held, (int) (from - heldStart), (int) (to - from), StandardCharsets.UTF_8);
  }

  private void requireHeld(long from, long to) {
    if (from < heldStart || to > heldStart + heldLength || from > to) {
      throw new IllegalStateException(
          "bytes "
              + from
              + " to "
              + to
              + " are not held (held: "
              + heldStart
              + " to "
              + (heldStart + heldLength)
              + ")");
    }
  }
}
