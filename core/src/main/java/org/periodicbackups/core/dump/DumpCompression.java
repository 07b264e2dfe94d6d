package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How a dump file is compressed: the codec, its level and how many threads may compress.
 *
 * <p>With more than one thread, gzip compresses independent blocks in parallel, each a complete
 * gzip member (a concatenation of members is one valid {@code .gz} file), and zstd uses its own
 * worker threads. The output is readable by any reader of the codec either way.
 *
 * @param codec the codec
 * @param level from {@link DumpCodec#minLevel()} (fastest) to {@link DumpCodec#maxLevel()}
 * @param threads 1 to compress in the calling thread; more to compress in that many workers
 */
public record DumpCompression(DumpCodec codec, int level, int threads) {

  /** The most threads accepted; more would only buffer more blocks. */
  public static final int MAX_THREADS = 64;

  /** Checks the level against the codec's range and the thread count. */
  public DumpCompression {
    requireNonNull(codec, "codec is null");
    if (level < codec.minLevel() || level > codec.maxLevel()) {
      throw new IllegalArgumentException(
          codec.codecName()
              + " level must be "
              + codec.minLevel()
              + " to "
              + codec.maxLevel()
              + " but was "
              + level);
    }
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads must be 1 to " + MAX_THREADS + " but was " + threads);
    }
  }

  /** gzip at its default level in the calling thread: what format version 1 always wrote. */
  public static DumpCompression defaults() {
    return new DumpCompression(DumpCodec.GZIP, DumpCodec.GZIP.defaultLevel(), 1);
  }

  /** {@code codec} at {@code level} (null: the codec's default) with {@code threads} threads. */
  public static DumpCompression of(DumpCodec codec, Integer level, int threads) {
    requireNonNull(codec, "codec is null");
    return new DumpCompression(codec, level == null ? codec.defaultLevel() : level, threads);
  }

  /** The threads a backup uses by default: every processor, since the export is one stream. */
  public static int defaultThreads() {
    return Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Opens a stream that compresses what is written to it into {@code out}, exactly as a dump file
   * is compressed; closing it completes the compressed data and closes {@code target}. For tools
   * and benchmarks that compress bytes other than a dump being written.
   */
  public OutputStream open(OutputStream target) throws IOException {
    requireNonNull(target, "target is null");
    CompressedOutput compressed = CompressedOutput.open(target, this);
    return new FilterOutputStream(compressed.stream()) {
      private boolean closed;

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        this.out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try {
          compressed.finish();
        } finally {
          target.close();
        }
      }
    };
  }
}
