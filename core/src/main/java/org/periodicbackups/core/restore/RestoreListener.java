package org.periodicbackups.core.restore;

/**
 * Progress of a verification or restore, for a command line or a log. Called on the restoring
 * thread; every method does nothing by default and should return quickly.
 */
public interface RestoreListener {

  /** Which pass over the files is running. */
  enum Phase {
    /** Reading every file to check it, before anything is written. */
    VERIFY,
    /** Writing the files to the target. */
    APPLY
  }

  /** A listener that does nothing. */
  RestoreListener NONE = new RestoreListener() {};

  /** Starts reading file {@code index} (0-based) of {@code count}. */
  default void fileStarted(Phase phase, PlannedFile file, int index, int count) {}

  /** Finished file {@code index} (0-based) of {@code count} without a problem. */
  default void fileFinished(Phase phase, PlannedFile file, int index, int count) {}
}
