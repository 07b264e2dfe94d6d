package org.periodicbackups.core.backup;

import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.model.BackupType;

/**
 * Hears what the {@link BackupEngine} does, for metrics, progress and logs. Called on the thread of
 * the run; implementations return quickly and never throw (an exception is logged and ignored, so
 * that observing a backup can never fail it).
 */
public interface BackupListener {
  /** A listener that does nothing. */
  BackupListener NONE = new BackupListener() {};

  /** A run of {@code database} started exporting a {@code type} backup. */
  default void started(String database, BackupType type) {}

  /** {@code bytes} more bytes of the dump were written (called as the export proceeds). */
  default void exported(String database, long bytes) {}

  /** The run stored {@code backup} at every destination and advanced the status. */
  default void succeeded(String database, BackupRecord backup) {}

  /**
   * A compaction step after a run wrote {@code written} compacted files, removed {@code removed}
   * merged ones and made {@code requests} requests of the destinations.
   */
  default void compacted(String database, int written, int removed, int requests) {}

  /** An incremental run found nothing to back up. */
  default void nothingChanged(String database) {}

  /** The run failed; the status etags did not move. */
  default void failed(String database, Exception failure) {}
}
