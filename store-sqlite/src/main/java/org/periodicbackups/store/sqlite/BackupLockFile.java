package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.periodicbackups.api.source.ChangeSource.BackupLock;

/**
 * The cross-process backup lock of one database: an exclusive OS lock on {@code <file>.backup-lock}
 * next to the database file, so that processes sharing the data folder run one backup at a time.
 * The operating system releases it when the holder dies, so a killed run leaves no stale lock; the
 * file itself stays, and goes when the database is deleted.
 */
final class BackupLockFile {
  private BackupLockFile() {}

  /** The lock file of the database file {@code databaseFile}. */
  static Path of(Path databaseFile) {
    return databaseFile.resolveSibling(databaseFile.getFileName() + ".backup-lock");
  }

  /**
   * Takes the lock if no one holds it, in this process or another.
   *
   * @param databaseName for the message
   * @return the held lock, or empty if it is held elsewhere
   * @throws IOException naming the lock file and the database if it cannot be opened or locked
   */
  static Optional<BackupLock> tryLock(Path databaseFile, String databaseName) throws IOException {
    Path lockFile = of(databaseFile);
    FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another SqliteDatabase of this same process
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw new IOException(
          "cannot lock "
              + lockFile
              + " to back up database '"
              + databaseName
              + "': "
              + e.getMessage(),
          e);
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    FileLock held = lock;
    return Optional.of(
        () -> {
          try (channel) {
            held.release();
          }
        });
  }
}
