package org.periodicbackups.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.core.dump.DumpCodec;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpWriter;

/**
 * The inputs of the JMH benchmarks: {@value #COUNT} documents of {@link Dataset} (seed 42), and the
 * dump JSON that holds them, uncompressed and zstd-1-compressed.
 */
final class JmhDocuments {
  static final int COUNT = 10_000;
  static final Instant CREATED = Instant.parse("2026-11-28T12:00:00Z");

  final List<Document> documents = new ArrayList<>(COUNT);

  /** The uncompressed dump JSON of {@link #documents}: what every codec compresses. */
  final byte[] dumpJson;

  /** The same dump, as a zstd-1 file. */
  final byte[] zstdDump;

  JmhDocuments() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 1; i <= COUNT; i++) {
      documents.add(new Document(Dataset.key(i), i, Dataset.metadata(i), Dataset.body(random)));
    }
    zstdDump = write(new DumpCompression(DumpCodec.ZSTD, 1, 1));
    try {
      dumpJson =
          new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(zstdDump))
              .readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The dump file of {@link #documents} with {@code compression}. */
  byte[] write(DumpCompression compression) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 20);
    try (DumpWriter writer = DumpWriter.open(out, header(compression.codec()), compression)) {
      for (Document document : documents) {
        writer.writeDocument(document);
      }
      writer.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static DumpHeader header(DumpCodec codec) {
    return DumpHeader.full("bench", CREATED, COUNT).withCodec(codec.codecName());
  }
}
