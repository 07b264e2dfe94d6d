package org.periodicbackups.aws;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.periodicbackups.api.destination.WaitListener;

/**
 * Sleeps through one long wait (a retrieval job, an archive restore) and tells a {@link
 * WaitListener} about it: when it starts, at least every {@link WaitListener#REPORT_INTERVAL} of
 * waiting, and when it ends. Time is counted in sleeps, so that a test's sleeper controls it. Not
 * thread-safe: one waiting thread.
 */
public final class WaitReporter {
  private final WaitListener listener;
  private final Sleeper sleeper;
  private String what;
  private final String expected;
  private Duration waited = Duration.ZERO;
  private Duration reportedAt = Duration.ZERO;

  /** Reports the wait for {@code what}, which usually takes {@code expected}, and starts it. */
  public WaitReporter(WaitListener listener, Sleeper sleeper, String what, String expected) {
    this.listener = requireNonNull(listener, "listener is null");
    this.sleeper = requireNonNull(sleeper, "sleeper is null");
    this.what = requireNonNull(what, "what is null");
    this.expected = requireNonNull(expected, "expected is null");
    report(false);
  }

  /** How long has been slept so far. */
  public Duration waited() {
    return waited;
  }

  /**
   * Sleeps {@code duration}, in slices that end when a report is due, and reports then: never more
   * than the report interval of waiting between two reports.
   */
  public void sleep(Duration duration) throws InterruptedException {
    Duration left = duration;
    while (left.compareTo(Duration.ZERO) > 0) {
      Duration untilReport = WaitListener.REPORT_INTERVAL.minus(waited.minus(reportedAt));
      Duration slice = left.compareTo(untilReport) < 0 ? left : untilReport;
      sleeper.sleep(slice);
      waited = waited.plus(slice);
      left = left.minus(slice);
      if (waited.minus(reportedAt).compareTo(WaitListener.REPORT_INTERVAL) >= 0) {
        reportedAt = waited;
        report(false);
      }
    }
  }

  /** Changes what the next reports say is awaited, for example how many files are done. */
  public void describe(String what) {
    this.what = requireNonNull(what, "what is null");
  }

  /** The wait is over. */
  public void finished() {
    report(true);
  }

  private void report(boolean finished) {
    try {
      listener.waiting(new WaitListener.Wait(what, waited, expected, finished));
    } catch (RuntimeException e) {
      // A listener's failure must not fail the restore it reports on.
    }
  }
}
