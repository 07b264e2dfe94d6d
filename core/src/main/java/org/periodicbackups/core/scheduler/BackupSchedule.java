package org.periodicbackups.core.scheduler;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;

/**
 * When the next scheduled run of a database is due. Computed from the documents rather than
 * remembered, so that after a restart a backup that became due while nothing ran happens at once.
 *
 * <p>Incremental runs are due {@code IntervalMilliseconds} after {@code LastBackup} (stretched to
 * {@code 3600000 / MaxFilesPerHour} when the setup caps the files per hour), full runs {@code
 * FullBackupIntervalMilliseconds} after {@code LastFullBackup}; the next run is the earlier of the
 * two (a database never backed up is due now). Which type that run is, the engine decides.
 */
public final class BackupSchedule {
  private BackupSchedule() {}

  /**
   * The next run, or empty when there is nothing to schedule (no setup, {@code Disabled}, or
   * neither interval set).
   *
   * @param setup the setup document, or null if there is none
   * @param status the status document ({@link PeriodicBackupStatus#initial()} if there is none)
   * @param lastRunAt when this process last started a run of the database, or null; the next run is
   *     then at least the shorter interval later, so that a run that changed nothing or failed (and
   *     left the status times as they were) is not repeated at once
   * @param now the current time; a due time in the past becomes {@code now}
   */
  public static Optional<Instant> nextRun(
      PeriodicBackupSetup setup, PeriodicBackupStatus status, Instant lastRunAt, Instant now) {
    requireNonNull(status, "status is null");
    requireNonNull(now, "now is null");
    if (setup == null || setup.disabled()) {
      return Optional.empty();
    }
    Long interval = setup.effectiveIntervalMilliseconds();
    Long fullInterval = setup.fullBackupIntervalMilliseconds();
    if (interval == null && fullInterval == null) {
      return Optional.empty();
    }
    Instant due = null;
    long shortest = Long.MAX_VALUE;
    if (interval != null) {
      due = dueAfter(status.lastBackup(), interval, now);
      shortest = interval;
    }
    if (fullInterval != null) {
      due = earlier(due, dueAfter(status.lastFullBackup(), fullInterval, now));
      shortest = Math.min(shortest, fullInterval);
    }
    if (lastRunAt != null && due.isBefore(lastRunAt.plusMillis(shortest))) {
      due = lastRunAt.plusMillis(shortest);
    }
    return Optional.of(due.isBefore(now) ? now : due);
  }

  private static Instant dueAfter(Instant last, long intervalMilliseconds, Instant now) {
    return last == null ? now : last.plusMillis(intervalMilliseconds);
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }
}
