package org.periodicbackups.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreListener;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * A restore of a chain from the filesystem backups into a new, empty database, checked against the
 * dataset and compared with the bulk insert; the database is dropped afterwards.
 */
final class RestorePhase {
  private final E2EReport report;
  private final Dataset dataset;
  private final SqliteStore restoreStore;
  private final Path backups;
  private final long insertNanos;
  private final double dataMiB;

  /**
   * @param insertNanos the bulk insert's time, the target's baseline
   * @param dataMiB the MiB a restore writes
   */
  RestorePhase(
      E2EReport report,
      Dataset dataset,
      SqliteStore restoreStore,
      Path backups,
      long insertNanos,
      double dataMiB) {
    this.report = report;
    this.dataset = dataset;
    this.restoreStore = restoreStore;
    this.backups = backups;
    this.insertNanos = insertNanos;
    this.dataMiB = dataMiB;
  }

  /**
   * Restores the chain of database {@code database} up to {@code untilFile} with batches of {@code
   * batch[0]} operations and {@code batch[1]} bytes.
   */
  void run(String database, String untilFile, String name, long[] batch) throws IOException {
    report.startPhase();
    long start = System.nanoTime();
    RestoreResult result = restoreIntoNew(database, untilFile, batch);
    long restoreNanos = System.nanoTime() - start;
    SqliteDatabase target = restoreStore.open("restored");
    if (target.documentCount() != dataset.documents
        || target.attachmentCount() != dataset.attachments) {
      throw new IllegalStateException(
          "restore of "
              + name
              + " has "
              + target.documentCount()
              + " documents and "
              + target.attachmentCount()
              + " attachments");
    }
    report.add(
        "restore " + name + " (full + incremental)",
        restoreNanos,
        dataMiB,
        0,
        String.format(
            Locale.ROOT,
            "insert / restore = %.2f; %d files",
            (double) insertNanos / restoreNanos,
            result.files().size()));
    report.target(
        String.format(
            Locale.ROOT,
            "restore >= 1.0 x bulk insert (%s): %.2f -> %s",
            name,
            (double) insertNanos / restoreNanos,
            insertNanos >= restoreNanos ? "MET" : "MISSED"));
    restoreStore.delete("restored");
  }

  /**
   * Restores a snapshot chain up to {@code untilFile} into a new database and compares its time
   * with restic's restore of the same database folder ({@code resticRestoreNanos}, or 0).
   */
  void snapshot(String database, String untilFile, String name, long resticRestoreNanos)
      throws IOException {
    report.startPhase();
    long start = System.nanoTime();
    RestoreResult result =
        restoreIntoNew(
            database,
            untilFile,
            new long[] {ChainRestorer.DEFAULT_BATCH_OPERATIONS, ChainRestorer.DEFAULT_BATCH_BYTES});
    long nanos = System.nanoTime() - start;
    SqliteDatabase target = restoreStore.open("restored");
    if (target.documentCount() != dataset.documents) {
      throw new IllegalStateException(
          "snapshot restore of " + name + " has " + target.documentCount() + " documents");
    }
    report.add(
        "restore snapshot " + name + " (image + incremental)",
        nanos,
        dataMiB,
        0,
        String.format(
            Locale.ROOT,
            "insert / restore = %.2f; %d files",
            (double) insertNanos / nanos,
            result.files().size()));
    if (resticRestoreNanos > 0) {
      report.target(
          String.format(
              Locale.ROOT,
              "snapshot chain restore <= 1.0 x restic restore (%s): %.2f -> %s",
              name,
              (double) nanos / resticRestoreNanos,
              nanos <= resticRestoreNanos ? "MET" : "MISSED"));
    }
    restoreStore.delete("restored");
  }

  private RestoreResult restoreIntoNew(String database, String untilFile, long[] batch)
      throws IOException {
    try (FilesystemDestination source = new FilesystemDestination(backups)) {
      ChainRestorer restorer = new ChainRestorer(RestoreListener.NONE, (int) batch[0], batch[1]);
      return restorer.restore(
          source,
          restorer.plan(source, RestoreRequest.latest(database).untilFile(untilFile)),
          restoreStore.newDatabaseTarget("restored"));
    }
  }
}
