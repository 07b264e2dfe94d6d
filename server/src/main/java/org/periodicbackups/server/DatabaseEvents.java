package org.periodicbackups.server;

import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * What the server tells the daemon around it, so that databases created or deleted through the API
 * are scheduled or forgotten at once rather than at the next scan of the data folder. Called on
 * request threads; implementations must be thread-safe and quick.
 */
public interface DatabaseEvents {
  /** No daemon: nothing to tell. */
  DatabaseEvents NONE = new DatabaseEvents() {};

  /** A database was created (and is open). */
  default void created(SqliteDatabase database) {}

  /** A database is about to be deleted: stop backing it up. */
  default void deleting(String name) {}
}
