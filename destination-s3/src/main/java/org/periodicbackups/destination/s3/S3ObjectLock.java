package org.periodicbackups.destination.s3;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/**
 * The S3 Object Lock every uploaded object gets ({@code ObjectLockMode}, {@code ObjectLockDays}).
 *
 * @param mode GOVERNANCE (users with {@code s3:BypassGovernanceRetention} may still remove objects)
 *     or COMPLIANCE (nobody can, not even the account's root user, until the date passes)
 * @param days how long each object stays locked at least, counted from its upload
 */
public record S3ObjectLock(ObjectLockMode mode, int days) {
  /** The longest lock accepted, 100 years (S3's own limit). */
  public static final int MAX_DAYS = 36_500;

  public S3ObjectLock {
    requireNonNull(mode, "mode is null");
  }

  /** {@link #days()} as a duration. */
  public Duration period() {
    return Duration.ofDays(days);
  }

  @Override
  public String toString() {
    return mode + " for " + days + " day(s)";
  }
}
