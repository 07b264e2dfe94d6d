package org.periodicbackups.cli;

import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.core.backup.BackupListener;

/**
 * Shows how far an export has got on standard error when it is a terminal; stays quiet in scripts,
 * where only the final line on standard output matters.
 */
final class BackupProgress implements BackupListener {
  private final boolean interactive = System.console() != null;

  @Override
  public void started(String database, BackupType type) {
    if (interactive) {
      System.err.println(type.displayName() + " backup of '" + database + "' started");
    }
  }

  @Override
  public void exported(String database, long bytes) {
    if (interactive) {
      System.err.printf("\rexported %,d MiB", bytes >> 20);
    }
  }
}
