package org.periodicbackups.api.source;

import java.io.IOException;

/**
 * A new database being built by a restore, invisible until {@link #commit()}: the restore applies a
 * whole chain into it (an image and incrementals, or logical files), checks it, and only then makes
 * it the target. If anything fails, {@link #close()} without a commit removes it and leaves the
 * target as it was (absent, or untouched).
 *
 * <p>Its {@link #beginBatch() batches} write to the staged database; committing a batch makes its
 * writes durable there, not visible in the target.
 */
public interface StagedRestore extends RestoreTarget, AutoCloseable {

  /**
   * Runs the store's own integrity check on the staged database.
   *
   * @throws IOException saying what is wrong if the database is not sound
   */
  void check() throws IOException;

  /**
   * Makes the staged database the target at once. Fails, leaving the staged database to be removed
   * by {@link #close()}, if the target appeared meanwhile.
   */
  void commit() throws IOException;

  /** Removes the staged database unless it was committed. */
  @Override
  void close() throws IOException;
}
