package org.periodicbackups.cli;

import java.io.PrintStream;
import java.time.Duration;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.core.restore.PlannedFile;
import org.periodicbackups.core.restore.RestoreListener;

/**
 * Shows restore and verify progress on standard error. The file being verified or applied is shown
 * when standard error is a terminal (scripts want only the final line on standard output); long
 * waits of a destination (a Glacier retrieval job, an archive restore) are always shown, at least
 * every 30 s, with the file they are for: a wait of hours must never look like a hang.
 */
final class ProgressListener implements RestoreListener, WaitListener {
  private final boolean interactive;
  private final PrintStream out;
  private volatile String file = "";

  /** Progress on standard error; file lines only on a terminal. */
  ProgressListener() {
    this(System.console() != null, System.err);
  }

  ProgressListener(boolean interactive, PrintStream out) {
    this.interactive = interactive;
    this.out = out;
  }

  @Override
  public void fileStarted(Phase phase, PlannedFile planned, int index, int count) {
    file =
        " ("
            + (phase == Phase.VERIFY ? "verifying" : "applying")
            + " file "
            + (index + 1)
            + " of "
            + count
            + ")";
    if (interactive) {
      out.printf(
          "%s %d/%d %s%n",
          phase == Phase.VERIFY ? "verifying" : "applying", index + 1, count, planned.storedName());
    }
  }

  @Override
  public void waiting(Wait wait) {
    if (wait.finished()) {
      out.println("done after " + human(wait.elapsed()) + ": " + wait.what() + file);
    } else {
      out.println(
          "waiting for "
              + wait.what()
              + file
              + ": "
              + human(wait.elapsed())
              + " so far, "
              + wait.expected());
    }
    out.flush();
  }

  /** {@code 0 s}, {@code 42 s}, {@code 7 min 5 s}, {@code 3 h 5 min}. */
  static String human(Duration d) {
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      return d.toSeconds() + " s";
    }
    if (d.compareTo(Duration.ofHours(1)) < 0) {
      return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
    return d.toHours() + " h " + d.toMinutesPart() + " min";
  }
}
