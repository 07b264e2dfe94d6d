package org.periodicbackups.core.restore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpWriter;
import org.periodicbackups.testing.MemoryDestination;

/**
 * A tiny source database for restore tests: puts and deletes get etags, and {@link #backup} writes
 * a full or incremental dump of the changes since the last backup to a destination, as the engine
 * does (names, Previous, PreviousSha256).
 */
final class MemoryDatabase {
  private final String name;
  private long etag;
  private final Map<String, Document> documents = new TreeMap<>();
  private final Map<String, Tombstone> documentTombstones = new TreeMap<>();
  private final Map<String, AttachmentInfo> attachmentInfos = new TreeMap<>();
  private final Map<String, byte[]> attachmentContent = new TreeMap<>();
  private final Map<String, Tombstone> attachmentTombstones = new TreeMap<>();
  private BackupFileName lastFile;
  private String lastSha256;
  private long lastEtag;

  MemoryDatabase(String name) {
    this.name = name;
  }

  MemoryDatabase put(String key, String body) {
    documents.put(key, new Document(key, ++etag, "{\"Raven-Entity-Name\":\"Things\"}", body));
    documentTombstones.remove(key);
    return this;
  }

  MemoryDatabase delete(String key) {
    documents.remove(key);
    documentTombstones.put(key, new Tombstone(key, ++etag));
    return this;
  }

  MemoryDatabase putAttachment(String key, byte[] content) {
    attachmentInfos.put(key, new AttachmentInfo(key, ++etag, "{\"Type\":\"bin\"}", content.length));
    attachmentContent.put(key, content.clone());
    attachmentTombstones.remove(key);
    return this;
  }

  MemoryDatabase deleteAttachment(String key) {
    attachmentInfos.remove(key);
    attachmentContent.remove(key);
    attachmentTombstones.put(key, new Tombstone(key, ++etag));
    return this;
  }

  /** Writes a full backup at {@code at}, starting a new chain. */
  String fullBackup(MemoryDestination destination, Instant at) throws IOException {
    lastFile = null;
    lastEtag = 0;
    return backup(destination, at);
  }

  /**
   * Writes a full backup at {@code at} as a run that died after its upload and before its status
   * write leaves it: the chain goes on from the previous file as if it did not exist.
   */
  String unrecordedFullBackup(MemoryDestination destination, Instant at) throws IOException {
    BackupFileName previousFile = lastFile;
    long previousEtag = lastEtag;
    String previousSha256 = lastSha256;
    String written = fullBackup(destination, at);
    lastFile = previousFile;
    lastEtag = previousEtag;
    lastSha256 = previousSha256;
    return written;
  }

  /** Writes the next file of the chain (a full one if there is no chain yet). */
  String backup(MemoryDestination destination, Instant at) throws IOException {
    BackupFileName fileName = lastFile == null ? BackupFileName.full(name, at) : lastFile.next(at);
    DumpHeader header =
        lastFile == null
            ? DumpHeader.full(name, at, etag)
            : DumpHeader.incremental(name, at, lastEtag, etag, lastFile.path(), lastSha256);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long from = lastEtag;
    try (DumpWriter writer = DumpWriter.open(out, header)) {
      for (Document d :
          documents.values().stream()
              .filter(d -> d.etag() > from)
              .sorted((a, b) -> Long.compare(a.etag(), b.etag()))
              .toList()) {
        writer.writeDocument(d);
      }
      for (AttachmentInfo a : attachmentInfos.values()) {
        if (a.etag() > from) {
          writer.writeAttachment(a, new ByteArrayInputStream(attachmentContent.get(a.key())));
        }
      }
      for (Tombstone t : documentTombstones.values()) {
        if (t.etag() > from) {
          writer.writeDocumentDeletion(t);
        }
      }
      for (Tombstone t : attachmentTombstones.values()) {
        if (t.etag() > from) {
          writer.writeAttachmentDeletion(t);
        }
      }
      writer.finish();
    }
    byte[] bytes = out.toByteArray();
    destination.put(fileName.path(), bytes);
    lastFile = fileName;
    lastSha256 = sha256(bytes);
    lastEtag = etag;
    return fileName.path();
  }

  /** What a restore of the whole database should produce, in {@link MemoryTarget}'s terms. */
  Map<String, Map<String, String>> expectedState() {
    Map<String, String> docs = new TreeMap<>();
    documents.values().stream()
        .filter(d -> !SystemDocuments.isSystemKey(d.key()))
        .forEach(d -> docs.put(d.key(), d.metadataJson() + "|" + d.bodyJson()));
    Map<String, String> atts = new TreeMap<>();
    attachmentInfos
        .values()
        .forEach(
            a ->
                atts.put(
                    a.key(),
                    a.metadataJson()
                        + "|"
                        + HexFormat.of().formatHex(attachmentContent.get(a.key()))));
    return Map.of("documents", docs, "attachments", atts);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
