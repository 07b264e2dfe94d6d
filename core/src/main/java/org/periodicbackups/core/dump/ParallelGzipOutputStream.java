package org.periodicbackups.core.dump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * gzip-compresses in several threads: the input is cut into blocks, each block becomes one complete
 * gzip member, and the members are written in input order. A concatenation of gzip members is one
 * valid gzip file, so {@code zcat} and {@link java.util.zip.GZIPInputStream} read the result as one
 * stream. Blocks are independent, so the ratio is a little worse than one member's (each block
 * starts with an empty dictionary).
 *
 * <p>Memory is bounded: at most {@code 2 × threads} blocks are in flight. {@link #close()}
 * completes the stream and closes {@code out}; not thread-safe.
 */
final class ParallelGzipOutputStream extends OutputStream {
  /** Large enough that the per-member dictionary reset costs little ratio. */
  static final int BLOCK_SIZE = 1 << 20;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final OutputStream out;
  private final int level;
  private final int maxInFlight;
  private final ExecutorService pool;
  private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
  private byte[] block = new byte[BLOCK_SIZE];
  private int filled;
  private boolean anyBlock;
  private boolean closed;

  ParallelGzipOutputStream(OutputStream out, int level, int threads) {
    this.out = out;
    this.level = level;
    this.maxInFlight = 2 * threads;
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "pbk-gzip-" + pool + "-" + count.incrementAndGet());
              t.setDaemon(true); // never keeps a JVM alive; the stream shuts the pool down anyway
              return t;
            });
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (filled == block.length) {
      submit();
    }
    block[filled++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    ensureOpen();
    while (length > 0) {
      if (filled == block.length) {
        submit();
      }
      int n = Math.min(length, block.length - filled);
      System.arraycopy(bytes, offset, block, filled, n);
      filled += n;
      offset += n;
      length -= n;
    }
  }

  /** Writes the blocks compressed so far; the block being filled waits until it is full. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    while (!inFlight.isEmpty()) {
      writeHead();
    }
    out.flush();
  }

  /** Compresses what is left, writes every member in order and closes {@code out}. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (filled > 0 || !anyBlock) {
        submit(); // an empty input still needs one (empty) member to be a valid gzip file
      }
      while (!inFlight.isEmpty()) {
        writeHead();
      }
      out.flush();
    } finally {
      closed = true;
      abandonWork();
      out.close();
    }
  }

  /** Drops the pending blocks and stops the workers without writing anything more. */
  void abandon() {
    closed = true;
    abandonWork();
  }

  private void abandonWork() {
    inFlight.forEach(f -> f.cancel(true));
    inFlight.clear();
    pool.shutdownNow();
  }

  private void submit() throws IOException {
    byte[] full = block;
    int length = filled;
    inFlight.add(pool.submit(() -> compress(full, length)));
    anyBlock = true;
    block = new byte[BLOCK_SIZE];
    filled = 0;
    while (inFlight.size() >= maxInFlight) {
      writeHead();
    }
  }

  private void writeHead() throws IOException {
    Future<byte[]> head = inFlight.poll();
    try {
      out.write(head.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("gzip compression of a block failed: " + e.getCause(), e.getCause());
    }
  }

  private byte[] compress(byte[] data, int length) throws IOException {
    ByteArrayOutputStream member = new ByteArrayOutputStream(length / 3 + 64);
    try (GZIPOutputStream gzip = new LevelledGzip(member, level)) {
      gzip.write(data, 0, length);
    }
    return member.toByteArray();
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("the gzip stream is closed");
    }
  }

  /** A gzip stream at a chosen level. */
  private static final class LevelledGzip extends GZIPOutputStream {
    LevelledGzip(OutputStream out, int level) throws IOException {
      super(out, DumpJson.GZIP_BUFFER);
      def.setLevel(level);
    }
  }
}
