package org.periodicbackups.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that only the test moves. Thread-safe. */
public final class TestClock extends Clock {
  private Instant now;

  /** A clock standing at {@code start}. */
  public TestClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock forward by {@code duration}. */
  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** Moves the clock to {@code time} unless it is already later; never backwards. */
  public synchronized void moveTo(Instant time) {
    if (time.isAfter(now)) {
      now = time;
    }
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("tests use UTC");
  }
}
