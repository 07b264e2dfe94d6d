package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.periodicbackups.api.config.DrillRecord;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.dump.EncryptionKeys;

/**
 * A restore drill (docs/DESIGN.md, "Proof of recovery"): the latest chain of a database is restored
 * from a destination into a scratch location and its content compared with what the source held at
 * the chain's cut; the outcome is recorded as {@code LastDrill} in the database's status document.
 * The live database is only read (its status document written); the drill holds the database's
 * backup lock, so it never overlaps a backup of it.
 */
public final class RestoreDrill {
  private final Clock clock;
  private final RestoreListener listener;
  private final EncryptionKeys keys;

  /**
   * @param listener told of each file, as a restore tells it
   * @param keys the keys that read the chain's encrypted files
   */
  public RestoreDrill(Clock clock, RestoreListener listener, EncryptionKeys keys) {
    this.clock = requireNonNull(clock, "clock is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.keys = requireNonNull(keys, "keys is null");
  }

  /**
   * Drills {@code source}'s latest chain at {@code destination}, restoring it into a new database
   * from {@code scratch}, and records the outcome in the status document. A failed restore is an
   * outcome too ({@link DrillRecord#FAILED}), not an exception.
   *
   * @throws BackupRunning if a backup of the database holds its backup lock
   * @throws IOException if the status cannot be written
   */
  public DrillRecord run(ChangeSource source, BackupDestination destination, ScratchTargets scratch)
      throws IOException {
    String database = source.databaseName();
    Optional<ChangeSource.BackupLock> lock = source.tryLockBackups();
    if (lock.isEmpty()) {
      throw new BackupRunning(
          "a backup of '" + database + "' is running; drill again once it finished");
    }
    try (ChangeSource.BackupLock held = lock.get()) {
      DrillRecord drill = restore(database, destination, scratch);
      PeriodicBackupStatus status = StatusDocuments.read(source);
      source.putSystemDocument(
          SystemDocuments.STATUS_KEY, StatusDocuments.toJson(status.withDrill(drill)));
      return drill;
    }
  }

  private DrillRecord restore(
      String database, BackupDestination destination, ScratchTargets scratch) {
    Instant at = clock.instant();
    long start = System.nanoTime();
    try {
      ChainRestorer restorer =
          new ChainRestorer(
              listener,
              ChainRestorer.DEFAULT_BATCH_OPERATIONS,
              ChainRestorer.DEFAULT_BATCH_BYTES,
              keys);
      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest(database));
      RestoreResult result = restorer.restore(destination, plan, scratch.newTarget(database));
      long nanos = System.nanoTime() - start;
      long bytes = result.verification().files().stream().mapToLong(VerifiedFile::size).sum();
      double seconds = Math.max(nanos, 1) / 1e9;
      // The database's documents when proved (an image applies no document one by one).
      long documents =
          result.content().matched() ? result.content().content().documents() : result.documents();
      return new DrillRecord(
          at,
          result.content().matched() ? DrillRecord.PROVED : DrillRecord.NOT_PROVED,
          result.lastFile(),
          result.toEtag(),
          nanos / 1_000_000,
          bytes,
          Math.round(documents / seconds * 10) / 10.0,
          null);
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      return new DrillRecord(
          at, DrillRecord.FAILED, null, 0, (System.nanoTime() - start) / 1_000_000, 0, 0, message);
    }
  }

  /** A drill refused because a backup of the database is running. */
  public static final class BackupRunning extends IOException {
    private static final long serialVersionUID = 1L;

    BackupRunning(String message) {
      super(message);
    }
  }
}
