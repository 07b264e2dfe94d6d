package org.periodicbackups.core.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.Etags;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.SnapshotImage;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.dump.LeaseFence;
import org.periodicbackups.core.dump.SnapshotFile;

/**
 * Writes the full backup of a {@code "BackupType": "Snapshot"} setup: the snapshot's physical image
 * in a {@link SnapshotFile}, compressed, checksummed and optionally encrypted like a dump, into a
 * temporary file of the work folder (docs/DESIGN.md, "Snapshot backups").
 */
final class SnapshotExporter {
  private static final int BUFFER_SIZE = 1 << 16;

  private SnapshotExporter() {}

  /**
   * Writes the image of {@code snapshot} to a new file in {@code workFolder}; removes it on
   * failure.
   *
   * @throws ConfigurationException naming the database if its source writes no images
   */
  static ExportedFile export(
      ChangeSnapshot snapshot,
      Path workFolder,
      String database,
      Instant createdAt,
      DumpCompression compression,
      EncryptionKey key,
      LeaseFence lease,
      LongConsumer progress)
      throws IOException {
    SnapshotImage image =
        snapshot
            .image()
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "database '"
                            + database
                            + "' cannot take snapshot backups: its store writes no physical"
                            + " images; set \"BackupType\": \""
                            + PeriodicBackupSetup.BACKUP_TYPE_BACKUP
                            + "\" (pbk setup --backup-type backup) for logical full backups"));
    DumpHeader header =
        new DumpHeader(
                DumpHeader.FORMAT_VERSION,
                database,
                BackupType.FULL,
                createdAt,
                Etags.NONE,
                snapshot.lastEtag(),
                compression.codec().codecName(),
                null,
                null)
            .withEncryption(key)
            .withImage(image.format())
            .withContent(snapshot.content().orElse(null))
            .withLease(lease);
    Files.createDirectories(workFolder);
    Path file =
        Files.createTempFile(
            workFolder,
            DumpExporter.tempPrefix(database, ProcessHandle.current().pid()),
            ".img" + (key == null ? "" : ".enc") + ".tmp");
    boolean done = false;
    try {
      MessageDigest sha256 = DumpExporter.sha256();
      try (OutputStream out =
          new ProgressOutputStream(
              new DigestOutputStream(
                  new BufferedOutputStream(Files.newOutputStream(file), BUFFER_SIZE), sha256),
              progress)) {
        SnapshotFile.write(out, header, compression, key, abortable(image, database));
      }
      ExportedFile exported =
          new ExportedFile(
              file,
              header,
              new DumpCounts(0, 0, 0, 0),
              Files.size(file),
              HexFormat.of().formatHex(sha256.digest()));
      done = true;
      return exported;
    } finally {
      if (!done) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** The image, stopping with the run when its thread is interrupted (a shutdown). */
  private static SnapshotImage abortable(SnapshotImage image, String database) {
    return new SnapshotImage() {
      @Override
      public org.periodicbackups.api.source.ImageFormat format() {
        return image.format();
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        image.writeTo(
            new java.io.FilterOutputStream(out) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                BackupEngine.abortIfInterrupted(database, "exporting");
                out.write(b, off, len);
              }

              @Override
              public void close() {
                // the image's writer does not end the file
              }
            });
      }
    };
  }
}
