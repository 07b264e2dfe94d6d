package org.periodicbackups.cli;

import org.periodicbackups.core.restore.PlannedFile;
import org.periodicbackups.core.restore.RestoreListener;

/**
 * Shows restore and verify progress on standard error when it is a terminal; stays quiet in
 * scripts, where only the final line on standard output matters.
 */
final class ProgressListener implements RestoreListener {
  private final boolean interactive = System.console() != null;

  @Override
  public void fileStarted(Phase phase, PlannedFile file, int index, int count) {
    if (interactive) {
      System.err.printf(
          "%s %d/%d %s%n",
          phase == Phase.VERIFY ? "verifying" : "applying", index + 1, count, file.storedName());
    }
  }
}
