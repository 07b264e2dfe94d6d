package org.periodicbackups.core.backup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.DumpVisitor;
import org.periodicbackups.core.dump.DumpWriter;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.dump.EncryptionKeys;

/**
 * The exact merge of consecutive incrementals of a chain, from local copies of them
 * (docs/DESIGN.md, "Continuous backup and compaction"): {@link #read} each copy in chain order,
 * which records the last change of every key, then {@link #write} the merged dump, documents then
 * attachments in chain order with each key's last version only, then the deletions that are each
 * key's last change. Memory holds one entry per key the copies change; attachment data streams
 * through a temporary file.
 */
final class MergedDump {
  /** The last change of a key: in which copy, at which etag, a deletion or not. */
  private record Version(int copy, long etag, boolean deleted) {}

  private final Path workFolder;
  private final String database;
  private final EncryptionKeys keys;
  private final List<Path> copies = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final Map<String, Version> documents = new HashMap<>();
  private final Map<String, Version> attachments = new HashMap<>();

  /**
   * @param workFolder where attachment data is spooled
   * @param keys the keys that read the copies
   */
  MergedDump(Path workFolder, String database, EncryptionKeys keys) {
    this.workFolder = workFolder;
    this.database = database;
    this.keys = keys;
  }

  /**
   * Reads the next copy, {@code name} at its destination, recording its changes; returns its header
   * and counts.
   */
  DumpHeader read(Path copy, String name, long[] counts) throws IOException {
    int index = copies.size();
    copies.add(copy);
    names.add(name);
    return readCopy(
        index,
        new DumpVisitor() {
          @Override
          public void document(String key, long etag, String metadataJson, String bodyJson) {
            documents.put(key, new Version(index, etag, false));
            counts[0]++;
          }

          @Override
          public OutputStream attachment(String key, long etag, String metadataJson, long size) {
            attachments.put(key, new Version(index, etag, false));
            counts[1]++;
            return null;
          }

          @Override
          public void documentDeletion(String key, long etag) {
            documents.put(key, new Version(index, etag, true));
            counts[2]++;
          }

          @Override
          public void attachmentDeletion(String key, long etag) {
            attachments.put(key, new Version(index, etag, true));
            counts[3]++;
          }
        });
  }

  /** Writes the merged dump with {@code header} to {@code merged}, ready to upload. */
  ExportedFile write(Path merged, DumpHeader header, DumpCompression compression, EncryptionKey key)
      throws IOException {
    MessageDigest sha256 = DumpExporter.sha256();
    DumpCounts counts;
    try (OutputStream out =
            new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(merged), 1 << 16), sha256);
        DumpWriter writer = DumpWriter.open(out, header, compression, key)) {
      eachCopy(
          copy ->
              new DumpVisitor() {
                @Override
                public void document(String k, long etag, String metadataJson, String bodyJson)
                    throws IOException {
                  if (wins(documents, k, copy, etag)) {
                    writer.writeDocument(new Document(k, etag, metadataJson, bodyJson));
                  }
                }
              });
      eachCopy(
          copy ->
              new DumpVisitor() {
                @Override
                public OutputStream attachment(String k, long etag, String metadataJson, long size)
                    throws IOException {
                  return wins(attachments, k, copy, etag)
                      ? spool(writer, new AttachmentInfo(k, etag, metadataJson, size))
                      : null;
                }
              });
      for (Map.Entry<String, Version> e : deletions(documents)) {
        writer.writeDocumentDeletion(new Tombstone(e.getKey(), e.getValue().etag()));
      }
      for (Map.Entry<String, Version> e : deletions(attachments)) {
        writer.writeAttachmentDeletion(new Tombstone(e.getKey(), e.getValue().etag()));
      }
      counts = writer.finish();
    }
    return new ExportedFile(
        merged, header, counts, Files.size(merged), HexFormat.of().formatHex(sha256.digest()));
  }

  private static boolean wins(Map<String, Version> versions, String key, int copy, long etag) {
    Version v = versions.get(key);
    return v != null && !v.deleted() && v.copy() == copy && v.etag() == etag;
  }

  private void eachCopy(IntFunction<DumpVisitor> visitorOf) throws IOException {
    for (int i = 0; i < copies.size(); i++) {
      readCopy(i, visitorOf.apply(i));
    }
  }

  private DumpHeader readCopy(int index, DumpVisitor visitor) throws IOException {
    try (InputStream in =
        new BufferedInputStream(Files.newInputStream(copies.get(index)), 1 << 16)) {
      return DumpReader.read(in, names.get(index), keys, visitor);
    }
  }

  private static List<Map.Entry<String, Version>> deletions(Map<String, Version> versions) {
    return versions.entrySet().stream()
        .filter(e -> e.getValue().deleted())
        .sorted(Comparator.comparingLong(e -> e.getValue().etag()))
        .toList();
  }

  /**
   * A sink for one attachment's content: a temporary file that, once the reader closes it, is
   * written to {@code writer} and removed, so memory stays bounded whatever the attachment's size.
   */
  private OutputStream spool(DumpWriter writer, AttachmentInfo info) throws IOException {
    Path spool = DumpExporter.temporaryFile(workFolder, database, ".attachment");
    return new FilterOutputStream(new BufferedOutputStream(Files.newOutputStream(spool))) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        try {
          super.close();
          try (InputStream content = Files.newInputStream(spool)) {
            writer.writeAttachment(info, content);
          }
        } finally {
          Files.deleteIfExists(spool);
        }
      }
    };
  }
}
