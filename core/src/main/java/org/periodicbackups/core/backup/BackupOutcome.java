package org.periodicbackups.core.backup;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.periodicbackups.api.config.BackupRecord;

/**
 * The result of one backup run that did not fail.
 *
 * @param database the database
 * @param result what happened
 * @param backup the file written, when {@code result} is {@link Result#BACKED_UP}
 * @param destinations descriptions of where the file went (paths, bucket URLs; no secrets)
 * @param message one line for logs and the command line
 */
public record BackupOutcome(
    String database,
    Result result,
    Optional<BackupRecord> backup,
    List<String> destinations,
    String message) {

  /** What a run did. */
  public enum Result {
    /** A file was written, uploaded and recorded in the status document. */
    BACKED_UP,
    /** An incremental run found no change since the last backup: no file, no upload. */
    NOTHING_CHANGED,
    /** The setup document says {@code Disabled: true}. */
    DISABLED,
    /** Another run of the same database was in progress; this one did nothing. */
    ALREADY_RUNNING
  }

  public BackupOutcome {
    requireNonNull(database, "database is null");
    requireNonNull(result, "result is null");
    requireNonNull(backup, "backup is null");
    destinations = List.copyOf(destinations);
    requireNonNull(message, "message is null");
  }

  static BackupOutcome skipped(String database, Result result, String message) {
    return new BackupOutcome(database, result, Optional.empty(), List.of(), message);
  }
}
