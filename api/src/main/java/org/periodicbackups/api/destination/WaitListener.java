package org.periodicbackups.api.destination;

import java.time.Duration;

/**
 * Hears of a destination's long waits, such as a Glacier retrieval job or the restore of an
 * archived S3 object, so that a user sees that something is happening. A destination calls it when
 * a wait starts, at least every {@link #REPORT_INTERVAL} while it lasts, and when it ends. Calls
 * come from the waiting thread; an implementation must be quick and must not throw.
 */
@FunctionalInterface
public interface WaitListener {
  /** How often at least a destination reports a wait that goes on. */
  Duration REPORT_INTERVAL = Duration.ofSeconds(30);

  /** Hears nothing. */
  WaitListener NONE = wait -> {};

  /** {@code wait} started, goes on, or ended. */
  void waiting(Wait wait);

  /**
   * One report of a wait.
   *
   * @param what what is awaited, naming the job or request, its tier and the file, for example
   *     {@code archive-retrieval job 7a3f (tier Standard) for shop/…/000001-….json.gz}
   * @param elapsed how long it has been waited for so far
   * @param expected how long such a wait usually takes, for example {@code typically 3-5 hours}
   * @param finished true for the last report of this wait, when it is over
   */
  record Wait(String what, Duration elapsed, String expected, boolean finished) {}
}
