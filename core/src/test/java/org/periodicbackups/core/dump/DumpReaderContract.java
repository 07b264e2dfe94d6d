package org.periodicbackups.core.dump;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import org.periodicbackups.api.InvalidBackupException;

/**
 * What the fuzz tests hold the reader to, whatever the input: it returns a header or throws an
 * {@link InvalidBackupException} whose message names the file. Any other throwable (a raw Jackson
 * or zstd exception, a NullPointerException, an OutOfMemoryError…) escapes and is a finding.
 * Entries it hands out lie inside the header's etag range and carry JSON object text.
 */
final class DumpReaderContract {
  static final String FILE =
      "shop/20261128T144300.123Z/000001-20261128T144301.000Z" + ".incremental.json.gz";

  private DumpReaderContract() {}

  /** Reads {@code file} and checks the contract; returns whether the file was accepted. */
  static boolean check(byte[] file) {
    try {
      DumpReader.read(new ByteArrayInputStream(file), FILE, new CheckingVisitor());
      return true;
    } catch (InvalidBackupException e) {
      if (!FILE.equals(e.fileName()) || !e.getMessage().startsWith(FILE + ": ")) {
        throw new AssertionError("a refusal that does not name the file: " + e.getMessage(), e);
      }
      return false;
    } catch (IOException e) {
      throw new AssertionError("not the damaged-file exception but " + e, e);
    }
  }

  static byte[] gzip(byte[] json) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream gz = new GZIPOutputStream(out)) {
        gz.write(json);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] zstd(byte[] json) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZstdOutputStream zstd = new ZstdOutputStream(out)) {
        zstd.setChecksum(true);
        zstd.write(json);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks each entry against the header and drains attachment data without keeping it. */
  private static final class CheckingVisitor implements DumpVisitor {
    private DumpHeader header;

    @Override
    public void header(DumpHeader header) {
      this.header = header;
    }

    @Override
    public void document(String key, long etag, String metadataJson, String bodyJson) {
      entry(key, etag);
      requireObjectText(metadataJson, key);
      requireObjectText(bodyJson, key);
    }

    @Override
    public OutputStream attachment(String key, long etag, String metadataJson, long size) {
      entry(key, etag);
      requireObjectText(metadataJson, key);
      if (size < 0) {
        throw new AssertionError("attachment '" + key + "' handed out with size " + size);
      }
      return OutputStream.nullOutputStream();
    }

    @Override
    public void documentDeletion(String key, long etag) {
      entry(key, etag);
    }

    @Override
    public void attachmentDeletion(String key, long etag) {
      entry(key, etag);
    }

    private void entry(String key, long etag) {
      if (header == null || key == null || !header.covers(etag)) {
        throw new AssertionError(
            "entry '" + key + "' etag " + etag + " handed out with header " + header);
      }
    }

    private static void requireObjectText(String json, String key) {
      if (json == null || !json.startsWith("{") || !json.endsWith("}")) {
        throw new AssertionError("entry '" + key + "' handed out non-object JSON " + json);
      }
    }
  }
}
