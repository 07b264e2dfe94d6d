package org.periodicbackups.core.dump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.Tombstone;

/** Builds dump bytes for tests: valid ones through the writer, hand-made ones from JSON text. */
final class DumpFiles {
  static final Instant CREATED = Instant.parse("2026-11-28T14:43:00.123Z");

  private DumpFiles() {}

  /** A small valid incremental of {@code shop}: etags 10 < e <= 42. */
  static byte[] smallIncremental() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      DumpHeader header =
          DumpHeader.incremental(
              "shop",
              CREATED,
              10,
              42,
              "shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz",
              "a".repeat(64));
      try (DumpWriter writer = DumpWriter.open(out, header)) {
        for (int i = 0; i < 200; i++) {
          writer.writeDocument(
              new Document(
                  "users/" + i,
                  11 + (i % 30),
                  "{\"Raven-Entity-Name\":\"Users\"}",
                  "{\"Name\":\"user " + i + "\"}"));
        }
        writer.writeDocumentDeletion(new Tombstone("users/old", 42));
        writer.finish();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The header JSON of a valid full backup of {@code shop} up to etag 5, as a prefix. */
  static String fullHeaderJson(int version) {
    return "{\"Backup\":{\"FormatVersion\":"
        + version
        + ",\"Database\":\"shop\",\"Type\":\"Full\","
        + "\"CreatedAt\":\"2026-11-28T14:43:00.123Z\",\"FromEtag\":0,\"ToEtag\":5,"
        + "\"Codec\":\"gzip\"}";
  }

  /** Gzips {@code json}. */
  static byte[] gzip(String json) {
    return gzipBytes(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Gzips {@code bytes}. */
  static byte[] gzipBytes(byte[] bytes) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(bytes);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
