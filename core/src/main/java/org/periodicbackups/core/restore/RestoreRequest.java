package org.periodicbackups.core.restore;

import java.time.Instant;
import org.periodicbackups.core.dump.BackupFileName;

/**
 * What to restore. Every field is optional.
 *
 * @param database the source database; required when the destination holds several, and when the
 *     destination is pointed at one database's folder (names {@code <chain>/<file>})
 * @param prefix list only the destination's files under this prefix, for example {@code shop/}
 * @param until restore to a point in time: of the chains whose full backup was created at or before
 *     it, the one with the latest file created at or before it, up to that file
 * @param untilFile restore up to and including this file (its stored name, its {@code
 *     <database>/<chain>/<file>} name, or only its last segment); its chain is used
 */
public record RestoreRequest(String database, String prefix, Instant until, String untilFile) {

  /** Checks that at most one of {@code until} and {@code untilFile} is given. */
  public RestoreRequest {
    if (until != null && untilFile != null) {
      throw new IllegalArgumentException("give either a time or a file to restore until, not both");
    }
    if (database != null && !BackupFileName.isValidDatabaseName(database)) {
      throw new IllegalArgumentException(
          "database name '" + database + "' is not valid: " + BackupFileName.DATABASE_NAME_RULE);
    }
  }

  /**
   * The latest backup of the only database at the destination: the chain with the most recently
   * created file (normally the newest chain), complete.
   */
  public static RestoreRequest latest() {
    return new RestoreRequest(null, null, null, null);
  }

  /** The latest backup of {@code database}, as {@link #latest()} chooses it. */
  public static RestoreRequest latest(String database) {
    return new RestoreRequest(database, null, null, null);
  }

  /** The same request restricted to the state at {@code instant}. */
  public RestoreRequest until(Instant instant) {
    return new RestoreRequest(database, prefix, instant, null);
  }

  /** The same request restricted to the chain up to {@code fileName}. */
  public RestoreRequest untilFile(String fileName) {
    return new RestoreRequest(database, prefix, null, fileName);
  }
}
