package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import org.periodicbackups.core.dump.BackupFileName;

/**
 * One file to restore.
 *
 * @param storedName its name at the destination, as listed and opened
 * @param name its parsed name; null only for a single-file restore of a file whose name does not
 *     follow the naming scheme
 * @param size its size as listed, or -1 if not listed
 */
public record PlannedFile(String storedName, BackupFileName name, long size) {
  public PlannedFile {
    requireNonNull(storedName, "storedName is null");
  }

  /** Whether its name says it is a snapshot file (a full backup holding a physical image). */
  public boolean isImage() {
    return name != null && name.image();
  }

  @Override
  public String toString() {
    return storedName;
  }
}
