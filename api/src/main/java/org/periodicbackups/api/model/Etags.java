package org.periodicbackups.api.model;

/**
 * Etags are positive 64-bit numbers from one monotonically increasing sequence per database: every
 * put or delete gets the next one. {@link #NONE} stands for "before the first write".
 */
public final class Etags {
  /** The etag before any write; a full backup exports everything after it. */
  public static final long NONE = 0L;

  private Etags() {}

  /** Throws if {@code etag} is negative; returns it otherwise. */
  public static long requireValid(long etag, String name) {
    if (etag < NONE) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + etag);
    }
    return etag;
  }
}
