package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream on a thread of its own, a few chunks ahead of the reader: so that what produces
 * the bytes (reading the file, its SHA-256, decryption, decompression) runs on one core while what
 * consumes them (parsing, base64, the store's writes) runs on another (docs/DESIGN.md, "One-pass
 * restore"). Memory is bounded: {@value #CHUNKS} chunks of {@value #CHUNK_SIZE} bytes.
 *
 * <p>A failure of the source is rethrown to the reader, unchanged, where the source would have
 * raised it. {@link #finish()} waits until the source has been read to its end, so that the caller
 * can then use what lies under it (a trailing checksum, an authentication tag) on its own thread;
 * {@link #close()} stops the thread without reading further. The source is not closed.
 */
final class ReadAhead extends InputStream {
  static final int CHUNK_SIZE = 1 << 20;
  static final int CHUNKS = 4;

  private static final byte[] END = new byte[0];

  private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(CHUNKS);
  private final Thread producer;
  private volatile boolean closed;
  private byte[] current = new byte[0];
  private int position;
  private boolean ended;

  private ReadAhead(InputStream source, String name) {
    producer = new Thread(() -> produce(source), "pbk-read-ahead " + name);
    producer.setDaemon(true);
  }

  /** Starts reading {@code source} ahead; {@code name} names the thread. */
  static ReadAhead of(InputStream source, String name) {
    requireNonNull(source, "source is null");
    ReadAhead ahead = new ReadAhead(source, name);
    ahead.producer.start();
    return ahead;
  }

  private void produce(InputStream source) {
    try {
      while (!closed) {
        byte[] buffer = new byte[CHUNK_SIZE];
        int filled = 0;
        while (filled < buffer.length) {
          int n = source.read(buffer, filled, buffer.length - filled);
          if (n < 0) {
            break;
          }
          filled += n;
        }
        if (filled > 0) {
          put(filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled));
        }
        if (filled < buffer.length) {
          put(END);
          return;
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      try {
        put(e);
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
      }
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    }
  }

  private void put(Object item) throws InterruptedException {
    while (!closed) {
      if (chunks.offer(item, 100, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return current[position++] & 0xff;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, current.length - position);
    System.arraycopy(current, position, bytes, offset, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return current.length - position;
  }

  /** Makes {@code current} hold unread bytes; false at the end of the source. */
  private boolean fill() throws IOException {
    while (position == current.length) {
      if (ended) {
        return false;
      }
      Object next;
      try {
        next = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading ahead");
      }
      if (next == END) {
        ended = true;
        return false;
      }
      if (next instanceof IOException e) {
        ended = true;
        throw e;
      }
      if (next instanceof RuntimeException e) {
        ended = true;
        throw e;
      }
      if (next instanceof Error e) {
        ended = true;
        throw e;
      }
      current = (byte[]) next;
      position = 0;
    }
    return true;
  }

  /**
   * Reads and discards what is left, returning how many bytes that was, once the source has ended
   * and the thread is done with it.
   */
  long finish() throws IOException {
    long rest = 0;
    byte[] scratch = new byte[8192];
    for (int n; (n = read(scratch)) >= 0; ) {
      rest += n;
    }
    join();
    return rest;
  }

  /** Stops reading ahead; the source is left where the thread stopped. */
  @Override
  public void close() {
    closed = true;
    chunks.clear();
    join();
  }

  private void join() {
    try {
      producer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
