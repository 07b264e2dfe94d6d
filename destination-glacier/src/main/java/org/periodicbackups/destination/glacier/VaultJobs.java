package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.aws.Sleeper;
import org.periodicbackups.aws.WaitReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glacier.GlacierClient;
import software.amazon.awssdk.services.glacier.model.ActionCode;
import software.amazon.awssdk.services.glacier.model.DescribeJobResponse;
import software.amazon.awssdk.services.glacier.model.GetJobOutputResponse;
import software.amazon.awssdk.services.glacier.model.GlacierJobDescription;
import software.amazon.awssdk.services.glacier.model.JobParameters;
import software.amazon.awssdk.services.glacier.model.StatusCode;

/**
 * Glacier's asynchronous jobs: start one, wait for it with a growing poll interval and a deadline,
 * then read its output. Retrieval takes minutes to hours on AWS, so progress is logged at every
 * check.
 */
final class VaultJobs {
  private static final Logger LOG = LoggerFactory.getLogger(VaultJobs.class);
  private static final Duration MAX_POLL = Duration.ofMinutes(15);

  private final GlacierClient glacier;
  private final GlacierDestinationConfig config;
  private final GlacierErrors errors;
  private final Sleeper sleeper;
  private final WaitListener waits;

  VaultJobs(
      GlacierClient glacier,
      GlacierDestinationConfig config,
      GlacierErrors errors,
      Sleeper sleeper,
      WaitListener waits) {
    this.glacier = glacier;
    this.config = config;
    this.errors = errors;
    this.sleeper = sleeper;
    this.waits = waits;
  }

  /** Starts an archive-retrieval job in the configured tier; returns its id. */
  String startArchiveRetrieval(String name, String archiveId) {
    JobParameters parameters =
        JobParameters.builder()
            .type("archive-retrieval")
            .archiveId(archiveId)
            .tier(config.retrievalTier().apiName())
            .description(ArchiveDescription.encode(name))
            .build();
    String jobId =
        glacier
            .initiateJob(b -> b.accountId("-").vaultName(config.vault()).jobParameters(parameters))
            .jobId();
    LOG.info(
        "{}: archive-retrieval job for {} started (tier {}, typically {})",
        config.description(),
        name,
        config.retrievalTier(),
        typicalTime(config.retrievalTier()));
    return jobId;
  }

  /**
   * The vault's archive-retrieval jobs that can still serve a read, by archive id: a succeeded one
   * (its output stays for 24 hours, as long as AWS lists it) before one in progress; failed ones
   * are left out. Lets a restore started again reuse the retrievals an earlier one paid for.
   */
  Map<String, GlacierJobDescription> retrievals() throws IOException {
    Map<String, GlacierJobDescription> byArchive = new HashMap<>();
    try {
      for (GlacierJobDescription job :
          glacier.listJobsPaginator(b -> b.accountId("-").vaultName(config.vault())).jobList()) {
        if (job.action() != ActionCode.ARCHIVE_RETRIEVAL || job.archiveId() == null) {
          continue;
        }
        if (job.statusCode() == StatusCode.SUCCEEDED
            || (job.statusCode() == StatusCode.IN_PROGRESS
                && !byArchive.containsKey(job.archiveId()))) {
          byArchive.merge(
              job.archiveId(),
              job,
              (kept, other) -> kept.statusCode() == StatusCode.SUCCEEDED ? kept : other);
        }
      }
    } catch (SdkException e) {
      throw errors.translate("list the retrieval jobs of", null, e);
    }
    return byArchive;
  }

  /** Starts an inventory-retrieval job (JSON output); returns its id. */
  String startInventory() {
    String jobId =
        glacier
            .initiateJob(
                b ->
                    b.accountId("-")
                        .vaultName(config.vault())
                        .jobParameters(p -> p.type("inventory-retrieval").format("JSON")))
            .jobId();
    LOG.info(
        "{}: inventory-retrieval job started (typically about 4 hours on AWS)",
        config.description());
    return jobId;
  }

  /**
   * Waits until job {@code jobId} ({@code what}, for messages) succeeded; fails when it failed or
   * {@code timeout} passed.
   */
  DescribeJobResponse await(String jobId, String what, Duration timeout, String name)
      throws IOException {
    long started = System.nanoTime();
    Duration interval = config.poll();
    Duration maxInterval = min(config.poll().multipliedBy(16), MAX_POLL);
    boolean inventory = what.startsWith("inventory");
    WaitReporter wait =
        new WaitReporter(
            waits,
            sleeper,
            "the "
                + what
                + " job "
                + jobId
                + (inventory ? " of " : " (tier " + config.retrievalTier().apiName() + ") in ")
                + config.description()
                + (name == null ? "" : " for " + name),
            inventory
                ? "typically about 4 hours on AWS"
                : "typically " + typicalTime(config.retrievalTier()));
    while (true) {
      DescribeJobResponse job;
      try {
        job = glacier.describeJob(b -> b.accountId("-").vaultName(config.vault()).jobId(jobId));
      } catch (SdkException e) {
        throw errors.translate("check " + what + " job", name, e);
      }
      if (Boolean.TRUE.equals(job.completed())) {
        if (job.statusCode() != StatusCode.SUCCEEDED) {
          throw new DestinationException(
              config.description()
                  + ": "
                  + what
                  + " job "
                  + jobId
                  + (name == null ? "" : " for " + name)
                  + " ended "
                  + job.statusCodeAsString()
                  + ": "
                  + job.statusMessage());
        }
        wait.finished();
        LOG.info(
            "{}: {} job{} completed after {}",
            config.description(),
            what,
            name == null ? "" : " for " + name,
            human(elapsed(started)));
        return job;
      }
      Duration elapsed = elapsed(started);
      if (elapsed.compareTo(timeout) >= 0) {
        throw new DestinationException(
            config.description()
                + ": "
                + what
                + " job "
                + jobId
                + (name == null ? "" : " for " + name)
                + " did not complete within "
                + human(timeout)
                + "; raise "
                + (inventory
                    ? "InventoryTimeoutMinutes"
                    : "RetrievalTimeoutMinutes, or choose a faster RetrievalTier")
                + " (the job keeps running at AWS; its output stays available for 24 hours)");
      }
      LOG.info(
          "{}: waiting for {} job{} ({} of at most {})",
          config.description(),
          what,
          name == null ? "" : " for " + name,
          human(elapsed),
          human(timeout));
      try {
        wait.sleep(min(interval, timeout.minus(elapsed)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + what + " job " + jobId);
      }
      interval = min(interval.multipliedBy(2), maxInterval);
    }
  }

  /** The output of a completed job; the caller closes it. */
  ResponseInputStream<GetJobOutputResponse> output(String jobId) {
    return glacier.getJobOutput(b -> b.accountId("-").vaultName(config.vault()).jobId(jobId));
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** {@code 0.4 s}, {@code 42 s}, {@code 7 min}, {@code 3 h 5 min}. */
  static String human(Duration d) {
    if (d.compareTo(Duration.ofSeconds(10)) < 0) {
      return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    if (d.compareTo(Duration.ofMinutes(2)) < 0) {
      return d.toSeconds() + " s";
    }
    if (d.compareTo(Duration.ofHours(2)) < 0) {
      return d.toMinutes() + " min";
    }
    return d.toHours() + " h " + d.toMinutesPart() + " min";
  }

  static String typicalTime(RetrievalTier tier) {
    return switch (tier) {
      case EXPEDITED -> "1-5 minutes";
      case STANDARD -> "3-5 hours";
      case BULK -> "5-12 hours";
    };
  }
}
