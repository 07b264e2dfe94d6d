package org.periodicbackups.api.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.BuiltInDestinations;

/**
 * The setup document {@code Raven/Backup/Periodic/Setup}: where and how often a database is backed
 * up. Field names are those of the original bundle.
 *
 * <p>Blank strings count as absent, so a form that sends empty fields means "not set". Values are
 * checked here; unknown field names are rejected by the parser in {@code core}.
 *
 * @param disabled {@code Disabled}: when true, this database is not backed up
 * @param glacierVaultName {@code GlacierVaultName}: an Amazon Glacier vault; wins over S3
 * @param s3BucketName {@code S3BucketName}: an Amazon S3 (or compatible) bucket
 * @param awsRegionEndpoint {@code AwsRegionEndpoint}: the AWS region, default {@code us-east-1}
 * @param s3RemoteFolderName {@code S3RemoteFolderName}: a key prefix inside the bucket
 * @param localFolderName {@code LocalFolderName}: a local folder that keeps a copy of every file
 * @param intervalMilliseconds {@code IntervalMilliseconds}: time between incremental backups
 * @param fullBackupIntervalMilliseconds {@code FullBackupIntervalMilliseconds}: time between full
 *     backups, each starting a new chain
 * @param destinations {@code Destinations}: options of third-party providers, keyed by provider
 *     name
 * @param retentionKeepChains {@code RetentionKeepChains}: after each successful backup, delete the
 *     files of older chains beyond this many newest chains (the chain being written always counts
 *     and is never deleted); absent: keep every chain
 * @param retentionMinimumAgeMilliseconds {@code RetentionMinimumAgeMilliseconds}: never delete a
 *     chain whose newest file is younger than this; absent: no age rule
 * @param compression {@code Compression}: {@code gzip} (default; {@code .json.gz} files) or {@code
 *     zstd} ({@code .json.zst} files, faster); a chain may mix both
 * @param compressionLevel {@code CompressionLevel}: 1 (fastest) to 9 for gzip, 1 to 19 for zstd;
 *     absent: the codec's default (gzip 6, zstd 3)
 * @param backupType {@code BackupType}: {@value #BACKUP_TYPE_BACKUP} (default: every file is a
 *     logical export of documents and attachments) or {@value #BACKUP_TYPE_SNAPSHOT} (each full
 *     backup is a physical image of the database, the incrementals after it logical exports; the
 *     source must implement images, see {@code ChangeSnapshot.image()}); RavenDB's names, any case
 * @param encryption {@code Encryption}: {@value #ENCRYPTION_REQUIRED} to require encryption of
 *     every file (a run fails while the database has no encryption key), {@value #ENCRYPTION_NONE}
 *     to write plain files even when a key is set; absent: files are encrypted exactly when the
 *     database has the secured setting {@code PeriodicBackup/EncryptionKey}
 * @param drillIntervalMilliseconds {@code DrillIntervalMilliseconds}: how often {@code pbk run} and
 *     {@code pbk server} run a restore drill of the database (its latest chain restored from its
 *     destination into a scratch folder and compared with the source, recorded as the status's
 *     {@code LastDrill}); absent: no scheduled drills
 * @param drillColdStorage {@code DrillColdStorage}: {@code true} to drill on schedule even when the
 *     backups are in cold storage (a Glacier vault or an archive storage class), where each drill
 *     requests retrievals that cost money and take hours; absent or false: such databases are not
 *     drilled on schedule ({@code pbk drill} still works)
 * @param leaseDurationMilliseconds {@code LeaseDurationMilliseconds}: how long the lease on a
 *     destination with conditional writes stays valid after its holder last renewed it (the holder
 *     renews it every third of that); absent: {@value #DEFAULT_LEASE_DURATION_MILLISECONDS}. A
 *     writer that dies is replaced after at most this long
 * @param leaseWaitMilliseconds {@code LeaseWaitMilliseconds}: how long a run waits for a lease that
 *     another writer holds before it fails naming the holder; absent or 0: it fails at once
 * @param compactionMilliseconds {@code CompactionMilliseconds}: the windows of the compaction
 *     levels, finest first (for example {@code [60000, 3600000]}: level 1 merges the files of each
 *     minute, level 2 those of each hour); each a multiple of the one before, at most {@value
 *     #MAX_COMPACTION_LEVELS}; absent: no compaction (docs/DESIGN.md, "Continuous backup and
 *     compaction")
 * @param compactionKeepMilliseconds {@code CompactionKeepMilliseconds}: for each level, how long
 *     the files it merged are kept (from their creation) beside the merged file, for point-in-time
 *     restores at their finer grain; absent: until the next level's window, and 24 of its own
 *     windows for the last level
 * @param maxFilesPerHour {@code MaxFilesPerHour}: at most this many incrementals an hour (each is
 *     one upload per destination); a shorter {@code IntervalMilliseconds} is stretched to {@code
 *     3600000 / MaxFilesPerHour}, so each file holds more changes; absent: no cap
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "Disabled",
  "GlacierVaultName",
  "S3BucketName",
  "AwsRegionEndpoint",
  "S3RemoteFolderName",
  "LocalFolderName",
  "IntervalMilliseconds",
  "FullBackupIntervalMilliseconds",
  "Destinations",
  "RetentionKeepChains",
  "RetentionMinimumAgeMilliseconds",
  "Compression",
  "CompressionLevel",
  "Encryption",
  "BackupType",
  "DrillIntervalMilliseconds",
  "DrillColdStorage",
  "LeaseDurationMilliseconds",
  "LeaseWaitMilliseconds",
  "CompactionMilliseconds",
  "CompactionKeepMilliseconds",
  "MaxFilesPerHour"
})
public record PeriodicBackupSetup(
    @JsonProperty("Disabled") boolean disabled,
    @JsonProperty("GlacierVaultName") String glacierVaultName,
    @JsonProperty("S3BucketName") String s3BucketName,
    @JsonProperty("AwsRegionEndpoint") String awsRegionEndpoint,
    @JsonProperty("S3RemoteFolderName") String s3RemoteFolderName,
    @JsonProperty("LocalFolderName") String localFolderName,
    @JsonProperty("IntervalMilliseconds") Long intervalMilliseconds,
    @JsonProperty("FullBackupIntervalMilliseconds") Long fullBackupIntervalMilliseconds,
    @JsonProperty("Destinations") Map<String, Map<String, String>> destinations,
    @JsonProperty("RetentionKeepChains") Integer retentionKeepChains,
    @JsonProperty("RetentionMinimumAgeMilliseconds") Long retentionMinimumAgeMilliseconds,
    @JsonProperty("Compression") String compression,
    @JsonProperty("CompressionLevel") Integer compressionLevel,
    @JsonProperty("Encryption") String encryption,
    @JsonProperty("BackupType") String backupType,
    @JsonProperty("DrillIntervalMilliseconds") Long drillIntervalMilliseconds,
    @JsonProperty("DrillColdStorage") Boolean drillColdStorage,
    @JsonProperty("LeaseDurationMilliseconds") Long leaseDurationMilliseconds,
    @JsonProperty("LeaseWaitMilliseconds") Long leaseWaitMilliseconds,
    @JsonProperty("CompactionMilliseconds") List<Long> compactionMilliseconds,
    @JsonProperty("CompactionKeepMilliseconds") List<Long> compactionKeepMilliseconds,
    @JsonProperty("MaxFilesPerHour") Integer maxFilesPerHour) {

  /** The region used when {@code AwsRegionEndpoint} is absent, as in the original. */
  public static final String DEFAULT_AWS_REGION = "us-east-1";

  /** The compression used when {@code Compression} is absent: readable by every release. */
  public static final String DEFAULT_COMPRESSION = "gzip";

  /** {@code Encryption} value that requires every file to be encrypted. */
  public static final String ENCRYPTION_REQUIRED = "aes-256-gcm-hkdf";

  /** {@code BackupType} of logical backups only: the default. */
  public static final String BACKUP_TYPE_BACKUP = "Backup";

  /** {@code BackupType} whose full backups are physical images of the database. */
  public static final String BACKUP_TYPE_SNAPSHOT = "Snapshot";

  /** The lease duration when {@code LeaseDurationMilliseconds} is absent: one minute. */
  public static final long DEFAULT_LEASE_DURATION_MILLISECONDS = 60_000;

  /** The shortest lease: renewals every third of it must fit between a store's round trips. */
  public static final long MINIMUM_LEASE_DURATION_MILLISECONDS = 1_000;

  /** The most compaction levels {@code CompactionMilliseconds} may give. */
  public static final int MAX_COMPACTION_LEVELS = 9;

  /** The shortest compaction window: one second. */
  public static final long MINIMUM_COMPACTION_MILLISECONDS = 1_000;

  /** {@code Encryption} value that keeps files plain even when a key is set. */
  public static final String ENCRYPTION_NONE = "none";

  /** Validates every field and reports all problems in one {@link ConfigurationException}. */
  public PeriodicBackupSetup {
    glacierVaultName = blankToNull(glacierVaultName);
    s3BucketName = blankToNull(s3BucketName);
    awsRegionEndpoint = blankToNull(awsRegionEndpoint);
    if (awsRegionEndpoint == null) {
      awsRegionEndpoint = DEFAULT_AWS_REGION;
    }
    s3RemoteFolderName = blankToNull(s3RemoteFolderName);
    localFolderName = blankToNull(localFolderName);
    destinations = copy(destinations);
    compactionMilliseconds =
        compactionMilliseconds == null || compactionMilliseconds.isEmpty()
            ? null
            : Collections.unmodifiableList(new ArrayList<>(compactionMilliseconds));
    compactionKeepMilliseconds =
        compactionKeepMilliseconds == null || compactionKeepMilliseconds.isEmpty()
            ? null
            : Collections.unmodifiableList(new ArrayList<>(compactionKeepMilliseconds));
    compression = blankToNull(compression);
    if (compression == null) {
      compression = DEFAULT_COMPRESSION;
    }

    encryption = blankToNull(encryption);
    backupType = SetupRules.backupType(blankToNull(backupType));

    List<String> problems = new ArrayList<>();
    SetupRules.encryption(encryption, problems);
    SetupRules.backupType(backupType, problems);
    SetupRules.positiveMilliseconds("IntervalMilliseconds", intervalMilliseconds, problems);
    SetupRules.positiveMilliseconds(
        "FullBackupIntervalMilliseconds", fullBackupIntervalMilliseconds, problems);
    SetupRules.positiveMilliseconds(
        "DrillIntervalMilliseconds", drillIntervalMilliseconds, problems);
    SetupRules.lease(leaseDurationMilliseconds, leaseWaitMilliseconds, problems);
    SetupRules.retention(retentionKeepChains, retentionMinimumAgeMilliseconds, problems);
    SetupRules.compaction(compactionMilliseconds, compactionKeepMilliseconds, problems);
    SetupRules.maxFilesPerHour(maxFilesPerHour, problems);
    SetupRules.compression(compression, compressionLevel, problems);
    SetupRules.region(awsRegionEndpoint, problems);
    SetupRules.providerNames(destinations.keySet(), problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /**
   * A builder with every field absent; {@link PeriodicBackupSetupBuilder#build()} applies the
   * defaults.
   */
  public static PeriodicBackupSetupBuilder builder() {
    return new PeriodicBackupSetupBuilder();
  }

  /** A builder holding this setup's fields, to derive a changed copy. */
  public PeriodicBackupSetupBuilder toBuilder() {
    return new PeriodicBackupSetupBuilder(this);
  }

  /** A setup with every field absent: defaults only, no destination. */
  public static PeriodicBackupSetup empty() {
    return builder().build();
  }

  /** A setup that keeps its files in {@code folder} every {@code intervalMilliseconds}. */
  public static PeriodicBackupSetup localFolder(String folder, Long intervalMilliseconds) {
    return builder().localFolderName(folder).intervalMilliseconds(intervalMilliseconds).build();
  }

  /**
   * A setup that sends files to the provider named {@code provider}, configured by {@code options}
   * (its {@code Destinations.<provider>} entry); every other field absent.
   */
  public static PeriodicBackupSetup forProvider(String provider, Map<String, String> options) {
    return builder().destination(provider, options).build();
  }

  /**
   * The providers this setup asks for, by name, each with the field that asks for it: {@code
   * glacier} for {@code GlacierVaultName}, {@code s3} for {@code S3BucketName}, {@code filesystem}
   * for {@code LocalFolderName}, and each key {@code x} of {@code Destinations} for {@code
   * Destinations.x}. Whether a provider is then used is its own decision ({@code
   * DestinationProvider.isConfiguredBy}); a name here that no provider has is a configuration
   * error.
   */
  public Map<String, String> requestedProviders() {
    Map<String, String> requested = new LinkedHashMap<>();
    if (glacierVaultName != null) {
      requested.put(BuiltInDestinations.GLACIER, "GlacierVaultName");
    }
    if (s3BucketName != null) {
      requested.put(BuiltInDestinations.S3, "S3BucketName");
    }
    if (localFolderName != null) {
      requested.put(BuiltInDestinations.FILESYSTEM, "LocalFolderName");
    }
    destinations.keySet().forEach(name -> requested.putIfAbsent(name, "Destinations." + name));
    return requested;
  }

  /** Whether scheduled drills may read from cold storage ({@code "DrillColdStorage": true}). */
  public boolean drillsColdStorage() {
    return Boolean.TRUE.equals(drillColdStorage);
  }

  /** The lease's duration: {@code LeaseDurationMilliseconds} or its default. */
  public java.time.Duration leaseDuration() {
    return java.time.Duration.ofMillis(
        leaseDurationMilliseconds == null
            ? DEFAULT_LEASE_DURATION_MILLISECONDS
            : leaseDurationMilliseconds);
  }

  /** How long a run waits for another writer's lease: {@code LeaseWaitMilliseconds}, or zero. */
  public java.time.Duration leaseWait() {
    return java.time.Duration.ofMillis(leaseWaitMilliseconds == null ? 0 : leaseWaitMilliseconds);
  }

  /**
   * The time between incremental runs: {@code IntervalMilliseconds}, stretched to {@code 3600000 /
   * MaxFilesPerHour} when that is longer; null without an interval.
   */
  public Long effectiveIntervalMilliseconds() {
    if (intervalMilliseconds == null || maxFilesPerHour == null) {
      return intervalMilliseconds;
    }
    return Math.max(intervalMilliseconds, (3_600_000L + maxFilesPerHour - 1) / maxFilesPerHour);
  }

  /** The compaction windows, finest first; empty without compaction. */
  public List<java.time.Duration> compactionWindows() {
    return compactionMilliseconds == null
        ? List.of()
        : compactionMilliseconds.stream().map(java.time.Duration::ofMillis).toList();
  }

  /**
   * How long the files merged by each level are kept beside the merged files: {@code
   * CompactionKeepMilliseconds}, or by default the next level's window (24 windows for the last).
   */
  public List<java.time.Duration> compactionKeep() {
    List<java.time.Duration> windows = compactionWindows();
    List<java.time.Duration> keep = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      keep.add(
          compactionKeepMilliseconds != null
              ? java.time.Duration.ofMillis(compactionKeepMilliseconds.get(i))
              : i + 1 < windows.size() ? windows.get(i + 1) : windows.get(i).multipliedBy(24));
    }
    return List.copyOf(keep);
  }

  /** Whether full backups are physical images ({@code "BackupType": "Snapshot"}). */
  public boolean snapshots() {
    return BACKUP_TYPE_SNAPSHOT.equals(backupType);
  }

  /** The options of a third-party provider, empty if none are given. */
  public Map<String, String> destinationOptions(String providerName) {
    return destinations.getOrDefault(providerName, Map.of());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> in) {
    if (in == null) {
      return Map.of();
    }
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, v == null ? Map.of() : Map.copyOf(v)));
    return java.util.Collections.unmodifiableMap(out);
  }
}
