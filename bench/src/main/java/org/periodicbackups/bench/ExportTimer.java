package org.periodicbackups.bench;

import org.periodicbackups.core.backup.BackupListener;

/** Records when the last export progress arrived: the end of the export phase of a backup. */
final class ExportTimer implements BackupListener {
  volatile long lastExport;

  void reset() {
    lastExport = 0;
  }

  @Override
  public void exported(String database, long bytes) {
    lastExport = System.nanoTime();
  }
}
