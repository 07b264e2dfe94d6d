package org.periodicbackups.core.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpWriter;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.dump.LeaseFence;

/**
 * Streams the changes of one snapshot into a compressed (and, given a key, encrypted) dump file on
 * local disk, computing the SHA-256 of the stored bytes on the way. Memory use does not depend on
 * the size of the database.
 */
final class DumpExporter {
  private static final int BUFFER_SIZE = 1 << 16;

  private DumpExporter() {}

  /**
   * Writes every change after {@code fromEtag} visible in {@code snapshot} to a new file in {@code
   * workFolder}, compressed as {@code compression} says. System documents are left out. On failure
   * the partial file is removed.
   */
  static ExportedFile export(
      ChangeSnapshot snapshot,
      Path workFolder,
      String database,
      BackupType type,
      long fromEtag,
      Instant createdAt,
      String previous,
      String previousSha256,
      DumpCompression compression,
      EncryptionKey key,
      LeaseFence lease,
      LongConsumer progress)
      throws IOException {
    long cut = snapshot.lastEtag();
    DumpHeader header =
        new DumpHeader(
                DumpHeader.FORMAT_VERSION,
                database,
                type,
                createdAt,
                fromEtag,
                cut,
                compression.codec().codecName(),
                previous,
                previousSha256)
            .withEncryption(key)
            .withContent(snapshot.content().orElse(null))
            .withLease(lease);
    Path file =
        temporaryFile(
            workFolder,
            database,
            "." + compression.codec().extension() + (key == null ? "" : ".enc"));
    boolean done = false;
    try {
      MessageDigest sha256 = sha256();
      DumpCounts counts;
      try (OutputStream out =
              new ProgressOutputStream(
                  new DigestOutputStream(
                      new BufferedOutputStream(Files.newOutputStream(file), BUFFER_SIZE), sha256),
                  progress);
          DumpWriter writer = DumpWriter.open(out, header, compression, key)) {
        snapshot.forEachDocument(
            fromEtag,
            document -> {
              // A shutdown interrupts the run; stop exporting instead of finishing a large dump.
              BackupEngine.abortIfInterrupted(database, "exporting");
              if (!SystemDocuments.isSystemKey(document.key())) {
                writer.writeDocument(document);
              }
            });
        snapshot.forEachAttachment(
            fromEtag,
            (info, content) -> {
              BackupEngine.abortIfInterrupted(database, "exporting");
              writer.writeAttachment(info, content);
            });
        if (type == BackupType.INCREMENTAL) {
          // A full backup restores into an empty database, so deletions are of no use in it.
          snapshot.forEachDocumentDeletion(
              fromEtag,
              tombstone -> {
                if (!SystemDocuments.isSystemKey(tombstone.key())) {
                  writer.writeDocumentDeletion(tombstone);
                }
              });
          snapshot.forEachAttachmentDeletion(fromEtag, writer::writeAttachmentDeletion);
        }
        counts = writer.finish();
      }
      ExportedFile exported =
          new ExportedFile(
              file, header, counts, Files.size(file), HexFormat.of().formatHex(sha256.digest()));
      done = true;
      return exported;
    } finally {
      if (!done) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * The start of the names of this process's temporary dump files of {@code database}: the database
   * name, then the process id between characters no database name contains, so that {@link
   * #removeLeftovers} can tell one database's files from another's and a dead process's from a live
   * one's.
   */
  static String tempPrefix(String database, long pid) {
    return "pbk-" + database + "+" + pid + "+";
  }

  /**
   * A new temporary file of this process for {@code database} in {@code workFolder}, ending in
   * {@code suffix} and {@code .tmp}, named so that {@link #removeLeftovers} removes it if the
   * process dies.
   */
  static Path temporaryFile(Path workFolder, String database, String suffix) throws IOException {
    Files.createDirectories(workFolder);
    return Files.createTempFile(
        workFolder, tempPrefix(database, ProcessHandle.current().pid()), suffix + ".tmp");
  }

  /**
   * Removes the temporary dump files of {@code database} in {@code workFolder} that processes no
   * longer running left behind (killed during an export or an upload). Called while the database's
   * backup locks are held, so no run of this database in a live process is skipped by mistake;
   * files of live processes are never touched. Returns how many bytes were freed.
   */
  static long removeLeftovers(Path workFolder, String database) throws IOException {
    if (!Files.isDirectory(workFolder)) {
      return 0;
    }
    String start = "pbk-" + database + "+";
    long freed = 0;
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(
            workFolder,
            entry ->
                entry.getFileName().toString().startsWith(start)
                    && entry.getFileName().toString().endsWith(".tmp"))) {
      for (Path file : files) {
        String rest = file.getFileName().toString().substring(start.length());
        int end = rest.indexOf('+');
        long pid;
        try {
          pid = Long.parseLong(rest.substring(0, Math.max(end, 0)));
        } catch (NumberFormatException e) {
          continue; // not a name this engine makes
        }
        if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).isPresent()) {
          continue;
        }
        long size = Files.size(file);
        if (Files.deleteIfExists(file)) {
          freed += size;
        }
      }
    }
    return freed;
  }

  static MessageDigest sha256() {
    return ContentDigest.sha256();
  }
}
