package org.periodicbackups.tck;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The streams {@link FaultInjectingDestination} returns for read faults. */
final class FaultyStreams {
  private FaultyStreams() {}

  /** Throws an IOException once {@code limit} bytes were returned. */
  static final class FailingAfter extends FilterInputStream {
    private final String message;
    private long left;

    FailingAfter(InputStream in, long limit, String message) {
      super(in);
      this.left = limit;
      this.message = message;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (left == 0) {
        throw new IOException(message);
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /** Ends {@code dropped} bytes before the real end, without an error. */
  static final class TailDropping extends FilterInputStream {
    private final byte[] held;
    private int heldCount = -1; // -1: the look-ahead is not filled yet

    TailDropping(InputStream in, int dropped) {
      super(in);
      this.held = new byte[dropped];
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n;
      do {
        n = read(one, 0, 1);
      } while (n == 0);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (heldCount < 0) {
        heldCount = in.readNBytes(held, 0, held.length);
      }
      if (heldCount < held.length) {
        return -1; // the whole stream fits in the dropped tail
      }
      byte[] fresh = new byte[len];
      int n = in.read(fresh, 0, len);
      if (n < 0) {
        return -1; // what is held is the tail: dropped
      }
      // Return the oldest n bytes of held + fresh, keep the newest held.length bytes.
      int fromHeld = Math.min(n, held.length);
      System.arraycopy(held, 0, b, off, fromHeld);
      System.arraycopy(fresh, 0, b, off + fromHeld, n - fromHeld);
      byte[] next = new byte[held.length];
      int keepHeld = held.length - fromHeld;
      System.arraycopy(held, fromHeld, next, 0, keepHeld);
      System.arraycopy(fresh, n - fromHeld, next, keepHeld, fromHeld);
      System.arraycopy(next, 0, held, 0, held.length);
      return n;
    }

    @Override
    public int available() {
      return 0;
    }

    @Override
    public long skip(long n) {
      return 0; // keeps the look-ahead exact; callers read instead
    }
  }

  /** Returns the bytes with the one at {@code position} inverted. */
  static final class ByteFlipping extends FilterInputStream {
    private final long position;
    private long offset;

    ByteFlipping(InputStream in, long position) {
      super(in);
      this.position = position;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n;
      do {
        n = read(one, 0, 1);
      } while (n == 0);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0 && position >= offset && position < offset + n) {
        b[off + (int) (position - offset)] ^= (byte) 0xff;
      }
      if (n > 0) {
        offset += n;
      }
      return n;
    }

    @Override
    public long skip(long n) {
      return 0; // keeps the offset exact; callers read instead
    }
  }
}
