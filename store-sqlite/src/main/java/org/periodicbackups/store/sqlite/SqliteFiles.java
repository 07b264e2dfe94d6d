package org.periodicbackups.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens connections to one database file with the settings every connection must share. */
final class SqliteFiles {
  /** How long a connection waits for a lock held by another before failing. */
  static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private SqliteFiles() {}

  /** Opens a connection for writing (autocommit; transactions are begun explicitly). */
  static Connection openWriter(Path file) throws SQLException {
    return open(file, false);
  }

  /** Opens a connection that refuses writes. */
  static Connection openReader(Path file) throws SQLException {
    return open(file, true);
  }

  private static Connection open(Path file, boolean queryOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    // WAL: readers keep a consistent snapshot while a writer commits, so a backup's read
    // transaction never blocks writes.
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and the etags
    // of lost commits would be handed out again for other content, after a backup may already
    // have shipped the lost versions. FULL syncs the WAL on each commit; batches amortise it.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    // No generated keys: the driver would otherwise prepare and run "SELECT last_insert_rowid()"
    // after every INSERT, a second statement per write that nothing here reads.
    config.setGetGeneratedKeys(false);
    Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    if (queryOnly) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA query_only = ON");
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  /** Runs one statement without results. */
  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
