package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.periodicbackups.api.source.ImageFormat;
import org.periodicbackups.api.source.SnapshotImage;
import org.sqlite.SQLiteConnection;

/**
 * The image of a {@link SqliteSnapshot}: a copy of the database file as of the snapshot's cut, made
 * with SQLite's online backup API from the snapshot's own connection. That connection already holds
 * the read transaction, so the backup reads exactly the snapshot's pages and, in WAL mode, writers
 * go on committing during the copy; nor do they restart it, since the copy never starts a read
 * transaction of its own.
 *
 * <p>The copy goes to a temporary file beside the database ({@code .<name>.db.image-<pid>-<n>}), is
 * switched to the rollback journal so that it is one self-contained file (no {@code -wal}), its
 * etag sequence is checked against the cut, and it is then streamed out and deleted.
 */
final class SqliteImage implements SnapshotImage {
  /** Large reads and writes: the image can be gigabytes; memory stays this size. */
  static final int BUFFER_BYTES = 256 * 1024;

  // Pages copied per backup step; the read transaction is held throughout, so this only sets how
  // often the native loop returns, not what it copies.
  private static final int PAGES_PER_STEP = 4096;
  private static final int BUSY_SLEEP_MILLIS = 100;
  private static final int BUSY_RETRIES = 100;
  private static final int SQLITE_OK = 0;

  private final SqliteSnapshot snapshot;
  private final Path file;

  SqliteImage(SqliteSnapshot snapshot, Path file) {
    this.snapshot = snapshot;
    this.file = file;
  }

  @Override
  public ImageFormat format() {
    return SqliteStore.IMAGE_FORMAT;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    Connection source = snapshot.connection();
    TemporaryFiles.removeLeftovers(file.getParent());
    Path copy = TemporaryFiles.next(file, TemporaryFiles.IMAGE);
    try {
      backUp(source, copy);
      long copiedEtag = makeSelfContained(copy);
      if (copiedEtag != snapshot.lastEtag()) {
        throw new IOException(
            "database file "
                + file
                + ": the image copy "
                + copy
                + " has last etag "
                + copiedEtag
                + " but the snapshot's cut is "
                + snapshot.lastEtag());
      }
      try (InputStream in = Files.newInputStream(copy)) {
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
        }
      }
    } finally {
      TemporaryFiles.delete(copy);
    }
  }

  private void backUp(Connection source, Path copy) throws IOException {
    try {
      int result =
          source
              .unwrap(SQLiteConnection.class)
              .getDatabase()
              .backup(
                  "main",
                  copy.toAbsolutePath().toString(),
                  null,
                  BUSY_SLEEP_MILLIS,
                  BUSY_RETRIES,
                  PAGES_PER_STEP);
      if (result != SQLITE_OK) {
        throw new IOException(
            "database file " + file + ": cannot copy it to " + copy + ": SQLite error " + result);
      }
    } catch (SQLException e) {
      throw new IOException(
          "database file " + file + ": cannot copy it to " + copy + ": " + e.getMessage(), e);
    }
  }

  /**
   * Switches the copy from WAL (its header says WAL, like the source's) to the rollback journal,
   * which leaves no {@code -wal} beside it, removes what an image leaves out, and returns the
   * copy's last etag.
   */
  private static long makeSelfContained(Path copy) throws IOException {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath());
        Statement statement = connection.createStatement()) {
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = DELETE")) {
        if (!mode.next() || !"delete".equalsIgnoreCase(mode.getString(1))) {
          throw new IOException("image copy " + copy + ": cannot leave WAL mode");
        }
      }
      ImageImport.removeLeftOut(connection);
      try (ResultSet rows =
          statement.executeQuery("SELECT last_etag FROM etag_sequence WHERE id = 1")) {
        if (!rows.next()) {
          throw new IOException("image copy " + copy + " has no etag sequence");
        }
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IOException("image copy " + copy + ": cannot be read: " + e.getMessage(), e);
    }
  }
}
