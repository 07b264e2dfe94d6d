package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single write connection of a database file, its cached statements and the lock that
 * serialises writers: SQLite allows one writer at a time anyway, and waiting on a Java lock is
 * cheaper and fairer than retrying on SQLITE_BUSY.
 */
final class WriterConnection implements AutoCloseable {
  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  WriterConnection(Path file) throws IOException {
    this.file = file;
    try {
      this.connection = SqliteFiles.openWriter(file);
    } catch (SQLException e) {
      throw new IOException("database file " + file + ": cannot open: " + e.getMessage(), e);
    }
  }

  Path file() {
    return file;
  }

  Connection connection() {
    return connection;
  }

  /**
   * Takes the write lock.
   *
   * @throws IllegalStateException if this thread already writes (a nested write would start a
   *     second transaction on the same connection)
   */
  void lock() {
    if (lock.isHeldByCurrentThread()) {
      throw new IllegalStateException(
          "database file "
              + file
              + ": this thread is already inside"
              + " a write batch or restore batch; use that batch's writer instead of a nested write");
    }
    lock.lock();
  }

  void unlock() {
    lock.unlock();
  }

  /** A cached prepared statement; call only while holding the lock. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      for (PreparedStatement statement : statements.values()) {
        statement.close();
      }
      statements.clear();
      connection.close();
    } catch (SQLException e) {
      throw new IOException("database file " + file + ": cannot close: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
