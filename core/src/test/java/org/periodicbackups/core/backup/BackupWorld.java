package org.periodicbackups.core.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import org.periodicbackups.testing.GateProvider;
import org.periodicbackups.testing.TestClock;

/**
 * Real components for engine tests: a SQLite store in a temporary folder, the filesystem
 * destination, a {@link GateProvider} remote, and an engine on a hand-moved clock.
 */
final class BackupWorld implements AutoCloseable {
  final Path root;
  final SqliteStore store;
  final SqliteDatabase db;
  final Path backups;
  final Path remote;
  final GateProvider flaky;
  final TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
  final BackupEngine engine;
  private final AtomicInteger restores = new AtomicInteger();
  private final SqliteStore restoreStore;

  BackupWorld(Path root) throws IOException {
    this(root, BackupListener.NONE);
  }

  BackupWorld(Path root, BackupListener listener) throws IOException {
    this.root = root;
    this.store = new SqliteStore(root.resolve("data"));
    this.db = store.create("shop", Map.of());
    this.backups = root.resolve("backups");
    this.remote = root.resolve("remote");
    this.flaky = new GateProvider("flaky", remote);
    DestinationRegistry registry =
        DestinationRegistry.of(List.of(new FilesystemDestinationProvider(), flaky));
    this.engine =
        new BackupEngine(new DestinationResolver(registry), root.resolve("work"), clock, listener);
    this.restoreStore = new SqliteStore(root.resolve("restored"));
  }

  void setup(String json) throws IOException {
    db.putSystemDocument(SystemDocuments.SETUP_KEY, json);
  }

  void setupLocalFolder() throws IOException {
    setup("{\"LocalFolderName\": " + quote(backups.toString()) + "}");
  }

  /** Backs up to the local folder with {@code compression} ({@code gzip} or {@code zstd}). */
  void setupLocalFolder(String compression, int level) throws IOException {
    setup(
        "{\"LocalFolderName\": "
            + quote(backups.toString())
            + ", \"Compression\": "
            + quote(compression)
            + ", \"CompressionLevel\": "
            + level
            + "}");
  }

  PeriodicBackupStatus status() throws IOException {
    return db.getSystemDocument(SystemDocuments.STATUS_KEY)
        .map(StatusDocuments::parse)
        .orElse(PeriodicBackupStatus.initial());
  }

  /** Restores from {@code folder} up to {@code untilFile} (or the newest) into a new database. */
  DatabaseContents restore(Path folder, String untilFile) throws IOException {
    return restore(folder, untilFile, EncryptionKeys.none());
  }

  /** Restores as above, reading encrypted files with {@code keys}. */
  DatabaseContents restore(Path folder, String untilFile, EncryptionKeys keys) throws IOException {
    return DatabaseContents.of(restoreInto(newTarget(), folder, untilFile, keys));
  }

  /** One scheduled run a second after the last; returns the name of the file it wrote. */
  String backUp() throws IOException {
    clock.advance(Duration.ofSeconds(1));
    return engine
        .run(db, BackupRequest.SCHEDULED)
        .backup()
        .map(BackupRecord::fileName)
        .orElseThrow();
  }

  /** A new empty database to restore into. */
  SqliteDatabase newTarget() throws IOException {
    return restoreStore.create("restored" + restores.incrementAndGet(), Map.of());
  }

  /** A database of the restore store that does not exist yet, restored into staged. */
  RestoreTarget newDatabaseTarget(String name) throws IOException {
    return restoreStore.newDatabaseTarget(name);
  }

  /** Whether the restore store holds database {@code name}. */
  boolean restoredExists(String name) {
    return restoreStore.exists(name);
  }

  /** Restores from {@code folder} into {@code target}. */
  SqliteDatabase restoreInto(
      SqliteDatabase target, Path folder, String untilFile, EncryptionKeys keys)
      throws IOException {
    restoreResult(target, folder, untilFile, keys);
    return target;
  }

  /** Restores from {@code folder} up to {@code untilFile} (or the newest) into {@code target}. */
  RestoreResult restoreResult(
      RestoreTarget target, Path folder, String untilFile, EncryptionKeys keys) throws IOException {
    try (FilesystemDestination destination = new FilesystemDestination(folder)) {
      ChainRestorer restorer = new ChainRestorer(keys);
      RestoreRequest request =
          untilFile == null
              ? RestoreRequest.latest("shop")
              : RestoreRequest.latest("shop").untilFile(untilFile);
      return restorer.restore(destination, restorer.plan(destination, request), target);
    }
  }

  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public void close() throws IOException {
    engine.close(); // its lease renewals must not write into the folder once the test removes it
    restoreStore.close();
    store.close();
  }
}
