package org.periodicbackups.core.dump;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The compressing stream of one dump file and its two endings: {@link #finish()} completes the
 * compressed data and leaves the file stream open; {@link #abandon()} frees the compressor and
 * writes nothing more, so that the file stays incomplete and can never pass for a backup.
 */
final class CompressedOutput {
  private final Gate gate;
  private final OutputStream compressor;

  private CompressedOutput(Gate gate, OutputStream compressor) {
    this.gate = gate;
    this.compressor = compressor;
  }

  /** Opens a compressor writing to {@code out} (which the caller closes). */
  static CompressedOutput open(OutputStream out, DumpCompression compression) throws IOException {
    Gate gate = new Gate(out);
    OutputStream compressor;
    switch (compression.codec()) {
      case GZIP ->
          compressor =
              compression.threads() == 1
                  ? new LevelledGzip(gate, compression.level())
                  : new ParallelGzipOutputStream(gate, compression.level(), compression.threads());
      case ZSTD -> {
        ZstdOutputStream zstd = new ZstdOutputStream(gate, compression.level());
        try {
          // The checksum lets the reader tell a damaged file from a good one.
          zstd.setChecksum(true);
          if (compression.threads() > 1) {
            zstd.setWorkers(compression.threads());
          }
        } catch (IOException | RuntimeException e) {
          zstd.close();
          throw e;
        }
        compressor = zstd;
      }
      default -> throw new IllegalArgumentException("unknown codec " + compression.codec());
    }
    return new CompressedOutput(gate, compressor);
  }

  /** Where to write the uncompressed bytes. */
  OutputStream stream() {
    return compressor;
  }

  /** Completes the compressed data and flushes it; the file stream stays open. */
  void finish() throws IOException {
    compressor.close(); // the gate does not pass the close on
  }

  /** Frees the compressor; whatever it still holds is discarded. */
  void abandon() {
    gate.closed = true;
    try {
      if (compressor instanceof ParallelGzipOutputStream parallel) {
        parallel.abandon();
      } else {
        compressor.close();
      }
    } catch (IOException | RuntimeException e) {
      // The file is being given up anyway; the first failure is what the caller reports.
    }
  }

  /** Passes bytes to the file until closed; never closes the file, only flushes it. */
  private static final class Gate extends FilterOutputStream {
    boolean closed;

    Gate(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      if (!closed) {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (!closed) {
        out.write(bytes, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      if (!closed) {
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** A single gzip member at a chosen level. */
  private static final class LevelledGzip extends GZIPOutputStream {
    LevelledGzip(OutputStream out, int level) throws IOException {
      super(out, DumpJson.GZIP_BUFFER);
      def.setLevel(level);
    }
  }
}
