package org.periodicbackups.aws;

import java.time.Duration;

/** Waits between two polls of a long-running AWS job (a retrieval, a restore); a test seam. */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps on the calling thread. */
  Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

  /** Waits {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
