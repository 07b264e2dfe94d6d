package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.ColdStorage;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.aws.BulkThaw;
import org.periodicbackups.aws.Sleeper;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glacier.model.GlacierJobDescription;
import software.amazon.awssdk.services.glacier.model.StatusCode;

/**
 * A Glacier vault as {@link ColdStorage}: every archive needs a retrieval job; the vault's job list
 * (one ListJobs a check, not one per file) says which already have one running or done, and {@link
 * BulkThaw} starts the others all at once. A succeeded job's output is readable for 24 hours, and
 * {@link GlacierDestination#open} reads it instead of starting a new job.
 */
final class GlacierColdStorage implements ColdStorage {
  /** How long AWS keeps a finished retrieval job's output. */
  static final Duration OUTPUT_KEPT = Duration.ofHours(24);

  /** Finds a file's catalogue entry (running an inventory first if the catalogue is empty). */
  interface Lookup {
    Optional<Catalogue.Entry> find(String name) throws IOException;
  }

  private final GlacierDestinationConfig config;
  private final VaultJobs jobs;
  private final GlacierErrors errors;
  private final Lookup lookup;
  private final Sleeper sleeper;
  private final WaitListener waits;

  GlacierColdStorage(
      GlacierDestinationConfig config,
      VaultJobs jobs,
      GlacierErrors errors,
      Lookup lookup,
      Sleeper sleeper,
      WaitListener waits) {
    this.config = config;
    this.jobs = jobs;
    this.errors = errors;
    this.lookup = lookup;
    this.sleeper = sleeper;
    this.waits = waits;
  }

  @Override
  public String tier() {
    return config.retrievalTier().apiName();
  }

  @Override
  public List<FileState> states(List<String> names) throws IOException {
    Map<String, GlacierJobDescription> retrievals = jobs.retrievals();
    List<FileState> states = new ArrayList<>();
    for (String name : names) {
      Catalogue.Entry entry = entry(name);
      GlacierJobDescription job = retrievals.get(entry.archiveId());
      states.add(
          new FileState(
              name,
              entry.size(),
              "GLACIER_VAULT",
              availability(job),
              job != null && job.statusCode() == StatusCode.SUCCEEDED
                  ? readableUntil(job.completionDate())
                  : null));
    }
    return states;
  }

  @Override
  public void thaw(List<String> names) throws IOException {
    BulkThaw.thaw(
        names,
        new VaultStore(),
        new BulkThaw.Waiting(
            config.description(),
            tier(),
            "typically " + VaultJobs.typicalTime(config.retrievalTier()),
            config.poll(),
            config.retrievalTimeout(),
            "Destinations.glacier.RetrievalTimeoutMinutes"),
        sleeper,
        waits);
  }

  private Catalogue.Entry entry(String name) throws IOException {
    return lookup
        .find(name)
        .orElseThrow(() -> new BackupFileNotFoundException(config.description(), name));
  }

  private static Availability availability(GlacierJobDescription job) {
    if (job == null) {
      return Availability.MUST_REQUEST;
    }
    return job.statusCode() == StatusCode.SUCCEEDED
        ? Availability.RESTORED
        : Availability.RESTORING;
  }

  private static Instant readableUntil(String completionDate) {
    try {
      return completionDate == null ? null : Instant.parse(completionDate).plus(OUTPUT_KEPT);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The job list read once per round of checks (at most every half poll), and the jobs this thaw
   * started, which a list taken just before may not show yet.
   */
  private final class VaultStore implements BulkThaw.Store {
    private final Set<String> started = new HashSet<>();
    private Map<String, GlacierJobDescription> listed;
    private long listedAt;

    @Override
    public Availability availability(String name) throws IOException {
      long now = System.nanoTime();
      if (listed == null
          || Duration.ofNanos(now - listedAt).compareTo(config.poll().dividedBy(2)) >= 0) {
        listed = jobs.retrievals();
        listedAt = now;
      }
      String archiveId = entry(name).archiveId();
      GlacierJobDescription job = listed.get(archiveId);
      if (job == null && started.contains(archiveId)) {
        return Availability.RESTORING;
      }
      return GlacierColdStorage.availability(job);
    }

    @Override
    public void request(String name) throws IOException {
      String archiveId = entry(name).archiveId();
      try {
        jobs.startArchiveRetrieval(name, archiveId);
      } catch (SdkException e) {
        throw errors.translate("retrieve", name, e);
      }
      started.add(archiveId);
    }
  }
}
