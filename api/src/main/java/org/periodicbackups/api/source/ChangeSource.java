package org.periodicbackups.api.source;

import java.io.IOException;
import java.util.Optional;

/**
 * A database that can be backed up: it hands out consistent snapshots of its changes and keeps
 * the backup's own system documents (setup and status) and settings.
 *
 * <p>Implementations are thread-safe: the engine may open a snapshot while writers are active
 * and while another thread reads the setup document.
 */
public interface ChangeSource {

  /** The database's name, as written in backup file names and headers. */
  String databaseName();

  /** Opens a read snapshot; see {@link ChangeSnapshot}. Never blocks writers for long. */
  ChangeSnapshot openSnapshot() throws IOException;

  /**
   * Reads a system document (key starting with {@code Raven/}) as JSON text, if it exists.
   * Used for the setup and status documents.
   */
  Optional<String> getSystemDocument(String key) throws IOException;

  /**
   * Writes a system document. Writing the status document must not, by itself, trigger a
   * backup.
   */
  void putSystemDocument(String key, String json) throws IOException;

  /** A database setting such as {@code Raven/AWSAccessKey}, if set. */
  Optional<String> setting(String name) throws IOException;
}
