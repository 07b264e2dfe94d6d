package org.periodicbackups.api.source;

import java.io.IOException;
import java.util.Optional;

/**
 * A database that can be backed up: it hands out consistent snapshots of its changes and keeps the
 * backup's own system documents (setup and status) and settings.
 *
 * <p>Implementations are thread-safe: the engine may open a snapshot while writers are active and
 * while another thread reads the setup document.
 */
public interface ChangeSource {

  /** The database's name, as written in backup file names and headers. */
  String databaseName();

  /** Opens a read snapshot; see {@link ChangeSnapshot}. Never blocks writers for long. */
  ChangeSnapshot openSnapshot() throws IOException;

  /**
   * Reads a system document (key starting with {@code Raven/}) as JSON text, if it exists. Used for
   * the setup and status documents.
   */
  Optional<String> getSystemDocument(String key) throws IOException;

  /**
   * Writes a system document. Writing the status document must not, by itself, trigger a backup.
   */
  void putSystemDocument(String key, String json) throws IOException;

  /** A database setting such as {@code Raven/AWSAccessKey}, if set. */
  Optional<String> setting(String name) throws IOException;

  /**
   * Takes the lock that lets one backup run at a time for this database across processes (for
   * example a daemon and a manual backup on the same data folder), or returns empty if another
   * holder has it. The engine takes it around each run, after its own in-process lock, and closes
   * it when the run ends; a process that dies releases it.
   *
   * <p>The default holds nothing: a source that only one process can open needs no more than the
   * engine's in-process lock.
   */
  default Optional<BackupLock> tryLockBackups() throws IOException {
    return Optional.of(() -> {});
  }

  /**
   * Where the database lives on this host, for example its file's absolute path, or empty if it has
   * no such place. Backup leases use it to tell another process of the same database (a restarted
   * daemon, a manual backup next to it: the same writer, already kept to one run at a time by
   * {@link #tryLockBackups()}) from another writer; without it, every process is a writer of its
   * own.
   */
  default Optional<String> location() {
    return Optional.empty();
  }

  /** A held backup lock; closing it releases it. */
  @FunctionalInterface
  interface BackupLock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }
}
