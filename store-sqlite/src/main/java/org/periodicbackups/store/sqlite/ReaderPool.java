package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read connections of one database file. Each reader (a snapshot, an open attachment stream, a
 * lookup) borrows its own connection, because a SQLite connection is not for concurrent use and a
 * read transaction belongs to a connection. A few idle connections are kept for reuse.
 */
final class ReaderPool implements AutoCloseable {
  private static final int MAX_IDLE = 4;

  private final Path file;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean closed;

  ReaderPool(Path file) {
    this.file = file;
  }

  /** A connection in autocommit mode; give it back with {@link #release(Connection)}. */
  Connection borrow() throws IOException {
    if (closed) {
      throw new IOException("database file " + file + " is closed");
    }
    Connection connection = idle.pollFirst();
    if (connection != null) {
      idleCount.decrementAndGet();
      return connection;
    }
    try {
      return SqliteFiles.openReader(file);
    } catch (SQLException e) {
      throw new IOException(
          "database file " + file + ": cannot open a read connection: " + e.getMessage(), e);
    }
  }

  /** Returns a connection that is in autocommit mode again (no open transaction). */
  void release(Connection connection) {
    if (closed || idleCount.incrementAndGet() > MAX_IDLE) {
      if (!closed) {
        idleCount.decrementAndGet();
      }
      closeQuietly(connection);
      return;
    }
    idle.addFirst(connection);
    // close() may have drained the deque just before the add: take it back out and close it.
    if (closed && idle.remove(connection)) {
      closeQuietly(connection);
    }
  }

  /** Closes a connection whose state is unknown (for example after a failed COMMIT). */
  void discard(Connection connection) {
    closeQuietly(connection);
  }

  /** Closes the idle connections; borrowed ones are closed when released. */
  @Override
  public void close() {
    closed = true;
    Connection connection;
    while ((connection = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Nothing to recover: the connection is being discarded.
    }
  }
}
