package org.periodicbackups.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.core.dump.DumpCodec;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.DumpVisitor;

/**
 * The dump format on the {@value JmhDocuments#COUNT} documents of {@link JmhDocuments} (about 11
 * MiB of dump JSON), each operation the whole set. zstd level 1 is the cheapest codec the writer
 * and reader have (they always compress), so {@code zstdAlone*} measures that part alone: subtract
 * it to get the JSON work. {@code sha256} is the checksum every backup and restore computes over
 * the compressed file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DumpBenchmark {
  private JmhDocuments data;
  private DumpCompression zstd1;

  @Setup
  public void setUp() {
    data = new JmhDocuments();
    zstd1 = new DumpCompression(DumpCodec.ZSTD, 1, 1);
  }

  /** DumpWriter: documents to compact JSON (each checked to be an object), zstd 1. */
  @Benchmark
  public int writeDocumentsZstd1() {
    return data.write(zstd1).length;
  }

  /** zstd 1 alone on the same JSON, one thread. */
  @Benchmark
  public long zstdAloneCompress() throws IOException {
    CodecBenchmark.CountingNull out = new CodecBenchmark.CountingNull();
    try (var compressed = zstd1.open(out)) {
      compressed.write(data.dumpJson);
    }
    return out.count;
  }

  /** DumpReader: the zstd-1 file parsed, every document's text handed to a visitor. */
  @Benchmark
  public long readDocumentsZstd1() throws IOException {
    long[] chars = new long[1];
    DumpReader.read(
        new ByteArrayInputStream(data.zstdDump),
        "bench.json.zst",
        new DumpVisitor() {
          @Override
          public void document(String key, long etag, String metadataJson, String bodyJson) {
            chars[0] += metadataJson.length() + bodyJson.length();
          }
        });
    return chars[0];
  }

  /** zstd 1 decompression alone of the same file. */
  @Benchmark
  public long zstdAloneDecompress() throws IOException {
    try (InputStream in =
        new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(data.zstdDump))) {
      return in.transferTo(new CodecBenchmark.CountingNull());
    }
  }

  /** SHA-256 over the uncompressed dump JSON (as MiB/s, the same over any bytes). */
  @Benchmark
  public byte[] sha256() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(data.dumpJson);
  }

  /** The documents themselves, so that the bytes per operation can be printed. */
  public static void main(String[] args) {
    JmhDocuments d = new JmhDocuments();
    long text = 0;
    for (Document doc : d.documents) {
      text += doc.metadataJson().length() + doc.bodyJson().length();
    }
    System.out.printf(
        "%d documents, %d chars of metadata and body, dump JSON %d bytes,"
            + " zstd-1 file %d bytes%n",
        d.documents.size(), text, d.dumpJson.length, d.zstdDump.length);
  }
}
