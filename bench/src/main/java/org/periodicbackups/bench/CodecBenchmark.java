package org.periodicbackups.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.periodicbackups.core.dump.DumpCodec;
import org.periodicbackups.core.dump.DumpCompression;

/**
 * The codec alone, as a backup uses it ({@link DumpCompression#open}: parallel gzip members or zstd
 * workers when threads > 1), on the uncompressed dump JSON of {@link JmhDocuments} (about 11 MiB),
 * into a discarding stream. One operation compresses all of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CodecBenchmark {
  @Param({"gzip:1", "gzip:6", "zstd:1", "zstd:3"})
  public String codec;

  @Param({"1", "2"})
  public int threads;

  private byte[] json;
  private DumpCompression compression;

  @Setup
  public void setUp() {
    json = new JmhDocuments().dumpJson;
    String[] parts = codec.split(":");
    compression =
        new DumpCompression(
            DumpCodec.named(parts[0]).orElseThrow(), Integer.parseInt(parts[1]), threads);
  }

  @Benchmark
  public long compress() throws IOException {
    CountingNull out = new CountingNull();
    try (OutputStream compressed = compression.open(out)) {
      for (int offset = 0; offset < json.length; offset += 64 * 1024) {
        compressed.write(json, offset, Math.min(64 * 1024, json.length - offset));
      }
    }
    return out.count;
  }

  /** Discards bytes, counting them, so that the result depends on the work. */
  static final class CountingNull extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
