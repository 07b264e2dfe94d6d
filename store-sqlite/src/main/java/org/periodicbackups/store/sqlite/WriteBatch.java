package org.periodicbackups.store.sqlite;

import java.io.IOException;

/**
 * A group of writes run in one transaction by {@link SqliteDatabase#write(WriteBatch)}: all of them
 * become visible at once, or none if the body throws.
 */
@FunctionalInterface
public interface WriteBatch {
  /** Performs the writes through {@code writer}, which is valid only during this call. */
  void writeTo(DatabaseWriter writer) throws IOException;
}
