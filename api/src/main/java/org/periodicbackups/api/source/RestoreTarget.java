package org.periodicbackups.api.source;

import java.io.IOException;

/**
 * A database that a backup chain can be restored into. The restore applies the files of a chain in
 * order, each in one or more {@link RestoreBatch batches}.
 */
public interface RestoreTarget {

  /** The database's name, for messages. */
  String databaseName();

  /** Starts a batch; only one batch is open at a time per target. */
  RestoreBatch beginBatch() throws IOException;
}
