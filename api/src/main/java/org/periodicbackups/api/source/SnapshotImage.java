package org.periodicbackups.api.source;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The physical image of a {@link ChangeSnapshot}: the database's own files as of the snapshot's
 * cut, in a form its {@link RestoreTarget#stageImage} can build a new database from. A snapshot
 * backup (setup {@code "BackupType": "Snapshot"}) writes it as its full backup; the engine
 * compresses, checksums and encrypts it like any other backup file.
 */
public interface SnapshotImage {

  /** The image's format and version, recorded in the backup file's header. */
  ImageFormat format();

  /**
   * Writes the whole image to {@code out}, exactly the state of the snapshot it came from (its
   * {@link ChangeSnapshot#lastEtag()}), without blocking writers for long. Memory use must not grow
   * with the database's size; temporary disk space may. Does not close {@code out}. Called at most
   * once per snapshot.
   */
  void writeTo(OutputStream out) throws IOException;
}
