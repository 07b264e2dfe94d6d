package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Locale;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.aws.Sleeper;
import org.periodicbackups.aws.WaitReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Makes an object in an archive storage class (GLACIER, DEEP_ARCHIVE) readable: asks S3 to restore
 * a temporary copy, then polls HeadObject until the restore is done or the configured wait is over.
 * Archive restores take minutes (Expedited) to many hours (Bulk, DEEP_ARCHIVE).
 */
final class ArchiveRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveRestorer.class);

  private final S3Client s3;
  private final S3DestinationConfig config;
  private final S3Errors errors;
  private final Sleeper sleeper;
  private final WaitListener waits;

  ArchiveRestorer(
      S3Client s3,
      S3DestinationConfig config,
      S3Errors errors,
      Sleeper sleeper,
      WaitListener waits) {
    this.s3 = s3;
    this.config = config;
    this.errors = errors;
    this.sleeper = sleeper;
    this.waits = waits;
  }

  /** Requests a restore of {@code key} (unless one is running) and waits until it is readable. */
  void restoreAndWait(String name, String key) throws IOException {
    HeadObjectResponse head = head(name, key);
    if (RestoreStatus.of(head.restore()) == RestoreStatus.DONE) {
      return;
    }
    if (RestoreStatus.of(head.restore()) == RestoreStatus.NONE) {
      requestRestore(name, key);
    }
    // Time is counted in sleeps (HeadObject itself is quick), which keeps the wait testable.
    WaitReporter wait =
        new WaitReporter(
            waits,
            sleeper,
            "the "
                + config.restoreTier()
                + " restore of "
                + name
                + " from the "
                + head.storageClassAsString()
                + " storage class (s3://"
                + config.bucket()
                + "/"
                + key
                + ")",
            typicalTime(head.storageClassAsString(), config.restoreTier()));
    while (true) {
      RestoreStatus status = RestoreStatus.of(head(name, key).restore());
      if (status == RestoreStatus.DONE) {
        wait.finished();
        LOG.info(
            "s3://{}/{} restored from {} after about {} s",
            config.bucket(),
            key,
            head.storageClassAsString(),
            wait.waited().toSeconds());
        return;
      }
      if (wait.waited().plus(config.restorePoll()).compareTo(config.restoreWait()) > 0) {
        throw new DestinationException(
            "s3://"
                + config.bucket()
                + "/"
                + key
                + " is in the "
                + head.storageClassAsString()
                + " storage class and its restore (tier "
                + config.restoreTier()
                + ") is not done after "
                + wait.waited().toSeconds()
                + " s; the"
                + " restore keeps running at AWS: try again later, or raise RestoreWaitMinutes");
      }
      try {
        wait.sleep(config.restorePoll());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(
            "interrupted while waiting for the restore of s3://" + config.bucket() + "/" + key);
      }
    }
  }

  /** How long AWS documents a restore of {@code storageClass} in {@code tier} to take. */
  static String typicalTime(String storageClass, Tier tier) {
    boolean deep = "DEEP_ARCHIVE".equals(storageClass);
    return switch (tier) {
      case EXPEDITED -> deep ? "not offered for DEEP_ARCHIVE" : "typically 1-5 minutes";
      case BULK -> deep ? "typically up to 48 hours" : "typically 5-12 hours";
      default -> deep ? "typically up to 12 hours" : "typically 3-5 hours";
    };
  }

  /** Asks S3 for a restore of {@code key}; a restore already running is not an error. */
  void requestRestore(String name, String key) throws IOException {
    try {
      s3.restoreObject(
          b ->
              b.bucket(config.bucket())
                  .key(key)
                  .restoreRequest(
                      r ->
                          r.days(config.restoreDays())
                              .glacierJobParameters(g -> g.tier(config.restoreTier()))));
      LOG.info(
          "requested a {} restore of s3://{}/{} for {} day(s)",
          config.restoreTier(),
          config.bucket(),
          key,
          config.restoreDays());
    } catch (S3Exception e) {
      // Another reader asked first: just wait for that restore.
      if (e.awsErrorDetails() == null
          || !"RestoreAlreadyInProgress".equals(e.awsErrorDetails().errorCode())) {
        throw errors.translate("restore", name, key, e);
      }
    } catch (SdkException e) {
      throw errors.translate("restore", name, key, e);
    }
  }

  HeadObjectResponse head(String name, String key) throws IOException {
    try {
      return s3.headObject(b -> b.bucket(config.bucket()).key(key));
    } catch (SdkException e) {
      throw errors.translate("restore status check", name, key, e);
    }
  }

  /** The state in the {@code x-amz-restore} header. */
  enum RestoreStatus {
    NONE,
    ONGOING,
    DONE;

    /** {@code ongoing-request="true"}, {@code ongoing-request="false", expiry-date="…"}, null. */
    static RestoreStatus of(String header) {
      if (header == null || header.isBlank()) {
        return NONE;
      }
      String normalized = header.toLowerCase(Locale.ROOT).replace(" ", "");
      if (normalized.contains("ongoing-request=\"true\"")) {
        return ONGOING;
      }
      return normalized.contains("ongoing-request=\"false\"") ? DONE : NONE;
    }
  }
}
