package org.periodicbackups.core.backup;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpCodec;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.EncryptionKey;

/**
 * What a backup run decides from the setup, the status and the request before it exports: the
 * backup type, the file name, the compression and the encryption key.
 */
final class RunChoices {
  private RunChoices() {}

  /** Full when no chain can be continued, the full interval elapsed or one was asked for. */
  static BackupType type(
      PeriodicBackupSetup setup, PeriodicBackupStatus status, BackupRequest request, Instant now) {
    if (request.forceFull() || status.lastFullBackup() == null) {
      return BackupType.FULL;
    }
    Optional<BackupRecord> last = status.lastFile();
    if (last.isEmpty() || BackupFileName.parse(last.get().fileName()).isEmpty()) {
      return BackupType.FULL;
    }
    Long fullInterval = setup.fullBackupIntervalMilliseconds();
    if (fullInterval != null && !now.isBefore(status.lastFullBackup().plusMillis(fullInterval))) {
      return BackupType.FULL;
    }
    return BackupType.INCREMENTAL;
  }

  /** The setup's codec and level, compressing on every processor (the export is one stream). */
  static DumpCompression compression(PeriodicBackupSetup setup) {
    DumpCodec codec =
        DumpCodec.named(setup.compression())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Compression '"
                            + setup.compression()
                            + "' is not known; use "
                            + DumpCodec.names()));
    return DumpCompression.of(codec, setup.compressionLevel(), DumpCompression.defaultThreads());
  }

  /**
   * The key to encrypt with: the database's secured setting {@value EncryptionKey#SETTING}, unless
   * the setup says {@code Encryption: none}; null for plain files.
   *
   * @throws ConfigurationException if the setup requires encryption and no key is set, or the
   *     setting is not a valid key (the message never shows the value)
   */
  static EncryptionKey encryptionKey(ChangeSource source, PeriodicBackupSetup setup)
      throws IOException {
    if (PeriodicBackupSetup.ENCRYPTION_NONE.equals(setup.encryption())) {
      return null;
    }
    String database = source.databaseName();
    Optional<String> stored = source.setting(EncryptionKey.SETTING);
    if (stored.isEmpty()) {
      if (PeriodicBackupSetup.ENCRYPTION_REQUIRED.equals(setup.encryption())) {
        throw new ConfigurationException(
            "the setup of database '"
                + database
                + "' requires"
                + " encryption (Encryption: "
                + setup.encryption()
                + ") but the database has no"
                + " encryption key; create one with 'pbk settings generate-encryption-key -d "
                + database
                + "' (secured setting "
                + EncryptionKey.SETTING
                + ")");
      }
      return null;
    }
    try {
      return EncryptionKey.parse(
          stored.get(),
          "the secured setting " + EncryptionKey.SETTING + " of database '" + database + "'");
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }

  /** The next file of the chain of {@code previous}, or the first of a new chain. */
  static BackupFileName fileName(
      String database,
      Optional<BackupRecord> previous,
      Instant now,
      DumpCodec codec,
      boolean encrypted,
      boolean snapshot) {
    if (previous.isEmpty()) {
      return snapshot
          ? BackupFileName.snapshot(database, now, codec, encrypted)
          : BackupFileName.full(database, now, codec, encrypted);
    }
    BackupFileName last = BackupFileName.parse(previous.get().fileName()).orElseThrow();
    // File times never go backwards inside a chain, even if the clock does.
    Instant createdAt = now.isAfter(last.createdAt()) ? now : last.createdAt().plusMillis(1);
    return last.next(createdAt, codec, encrypted);
  }
}
