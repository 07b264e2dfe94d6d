package org.periodicbackups.api.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.ConfigurationException;

/**
 * Builds a {@link PeriodicBackupSetup} field by field; {@link #build()} validates all fields at
 * once, as the record's constructor does. Not thread-safe.
 *
 * <pre>{@code
 * PeriodicBackupSetup setup = PeriodicBackupSetup.builder()
 *     .s3BucketName("backups").awsRegionEndpoint("eu-west-1")
 *     .intervalMilliseconds(3_600_000L)
 *     .destination("s3", Map.of("StorageClass", "STANDARD_IA"))
 *     .build();
 * }</pre>
 */
public final class PeriodicBackupSetupBuilder {
  private boolean disabled;
  private String glacierVaultName;
  private String s3BucketName;
  private String awsRegionEndpoint;
  private String s3RemoteFolderName;
  private String localFolderName;
  private Long intervalMilliseconds;
  private Long fullBackupIntervalMilliseconds;
  private final Map<String, Map<String, String>> destinations = new LinkedHashMap<>();
  private Integer retentionKeepChains;
  private Long retentionMinimumAgeMilliseconds;
  private String compression;
  private Integer compressionLevel;
  private String encryption;
  private String backupType;
  private Long drillIntervalMilliseconds;
  private Boolean drillColdStorage;
  private Long leaseDurationMilliseconds;
  private Long leaseWaitMilliseconds;
  private List<Long> compactionMilliseconds;
  private List<Long> compactionKeepMilliseconds;
  private Integer maxFilesPerHour;

  PeriodicBackupSetupBuilder() {}

  PeriodicBackupSetupBuilder(PeriodicBackupSetup s) {
    disabled = s.disabled();
    glacierVaultName = s.glacierVaultName();
    s3BucketName = s.s3BucketName();
    awsRegionEndpoint = s.awsRegionEndpoint();
    s3RemoteFolderName = s.s3RemoteFolderName();
    localFolderName = s.localFolderName();
    intervalMilliseconds = s.intervalMilliseconds();
    fullBackupIntervalMilliseconds = s.fullBackupIntervalMilliseconds();
    destinations.putAll(s.destinations());
    retentionKeepChains = s.retentionKeepChains();
    retentionMinimumAgeMilliseconds = s.retentionMinimumAgeMilliseconds();
    compression = s.compression();
    compressionLevel = s.compressionLevel();
    encryption = s.encryption();
    backupType = s.backupType();
    drillIntervalMilliseconds = s.drillIntervalMilliseconds();
    drillColdStorage = s.drillColdStorage();
    leaseDurationMilliseconds = s.leaseDurationMilliseconds();
    leaseWaitMilliseconds = s.leaseWaitMilliseconds();
    compactionMilliseconds = s.compactionMilliseconds();
    compactionKeepMilliseconds = s.compactionKeepMilliseconds();
    maxFilesPerHour = s.maxFilesPerHour();
  }

  /** {@code Disabled}. */
  public PeriodicBackupSetupBuilder disabled(boolean disabled) {
    this.disabled = disabled;
    return this;
  }

  /** {@code GlacierVaultName}. */
  public PeriodicBackupSetupBuilder glacierVaultName(String glacierVaultName) {
    this.glacierVaultName = glacierVaultName;
    return this;
  }

  /** {@code S3BucketName}. */
  public PeriodicBackupSetupBuilder s3BucketName(String s3BucketName) {
    this.s3BucketName = s3BucketName;
    return this;
  }

  /** {@code AwsRegionEndpoint}; absent means {@value PeriodicBackupSetup#DEFAULT_AWS_REGION}. */
  public PeriodicBackupSetupBuilder awsRegionEndpoint(String awsRegionEndpoint) {
    this.awsRegionEndpoint = awsRegionEndpoint;
    return this;
  }

  /** {@code S3RemoteFolderName}. */
  public PeriodicBackupSetupBuilder s3RemoteFolderName(String s3RemoteFolderName) {
    this.s3RemoteFolderName = s3RemoteFolderName;
    return this;
  }

  /** {@code LocalFolderName}. */
  public PeriodicBackupSetupBuilder localFolderName(String localFolderName) {
    this.localFolderName = localFolderName;
    return this;
  }

  /** {@code IntervalMilliseconds}. */
  public PeriodicBackupSetupBuilder intervalMilliseconds(Long intervalMilliseconds) {
    this.intervalMilliseconds = intervalMilliseconds;
    return this;
  }

  /** {@code FullBackupIntervalMilliseconds}. */
  public PeriodicBackupSetupBuilder fullBackupIntervalMilliseconds(
      Long fullBackupIntervalMilliseconds) {
    this.fullBackupIntervalMilliseconds = fullBackupIntervalMilliseconds;
    return this;
  }

  /**
   * Sets the {@code Destinations} entry of {@code provider} to {@code options}, replacing an
   * earlier one.
   */
  public PeriodicBackupSetupBuilder destination(String provider, Map<String, String> options) {
    destinations.put(provider, options == null ? Map.of() : Map.copyOf(options));
    return this;
  }

  /** Replaces the whole {@code Destinations} object. */
  public PeriodicBackupSetupBuilder destinations(Map<String, Map<String, String>> destinations) {
    this.destinations.clear();
    if (destinations != null) {
      destinations.forEach(this::destination);
    }
    return this;
  }

  /** {@code RetentionKeepChains}. */
  public PeriodicBackupSetupBuilder retentionKeepChains(Integer retentionKeepChains) {
    this.retentionKeepChains = retentionKeepChains;
    return this;
  }

  /** {@code RetentionMinimumAgeMilliseconds}. */
  public PeriodicBackupSetupBuilder retentionMinimumAgeMilliseconds(
      Long retentionMinimumAgeMilliseconds) {
    this.retentionMinimumAgeMilliseconds = retentionMinimumAgeMilliseconds;
    return this;
  }

  /** {@code Compression}: {@code gzip} or {@code zstd}. */
  public PeriodicBackupSetupBuilder compression(String compression) {
    this.compression = compression;
    return this;
  }

  /** {@code CompressionLevel}. */
  public PeriodicBackupSetupBuilder compressionLevel(Integer compressionLevel) {
    this.compressionLevel = compressionLevel;
    return this;
  }

  /**
   * {@code Encryption}: {@value PeriodicBackupSetup#ENCRYPTION_REQUIRED}, {@value
   * PeriodicBackupSetup#ENCRYPTION_NONE} or absent.
   */
  public PeriodicBackupSetupBuilder encryption(String encryption) {
    this.encryption = encryption;
    return this;
  }

  /**
   * {@code BackupType}: {@value PeriodicBackupSetup#BACKUP_TYPE_BACKUP} (default) or {@value
   * PeriodicBackupSetup#BACKUP_TYPE_SNAPSHOT}, any case.
   */
  public PeriodicBackupSetupBuilder backupType(String backupType) {
    this.backupType = backupType;
    return this;
  }

  /** {@code DrillIntervalMilliseconds}; null for no scheduled drills. */
  public PeriodicBackupSetupBuilder drillIntervalMilliseconds(Long drillIntervalMilliseconds) {
    this.drillIntervalMilliseconds = drillIntervalMilliseconds;
    return this;
  }

  /** {@code DrillColdStorage}. */
  public PeriodicBackupSetupBuilder drillColdStorage(Boolean drillColdStorage) {
    this.drillColdStorage = drillColdStorage;
    return this;
  }

  /** {@code LeaseDurationMilliseconds}; null for the default. */
  public PeriodicBackupSetupBuilder leaseDurationMilliseconds(Long leaseDurationMilliseconds) {
    this.leaseDurationMilliseconds = leaseDurationMilliseconds;
    return this;
  }

  /** {@code LeaseWaitMilliseconds}; null or 0 to fail at once. */
  public PeriodicBackupSetupBuilder leaseWaitMilliseconds(Long leaseWaitMilliseconds) {
    this.leaseWaitMilliseconds = leaseWaitMilliseconds;
    return this;
  }

  /** {@code CompactionMilliseconds}: the compaction windows, finest first; null for none. */
  public PeriodicBackupSetupBuilder compactionMilliseconds(List<Long> compactionMilliseconds) {
    this.compactionMilliseconds = compactionMilliseconds;
    return this;
  }

  /** {@code CompactionKeepMilliseconds}: one per level; null for the defaults. */
  public PeriodicBackupSetupBuilder compactionKeepMilliseconds(
      List<Long> compactionKeepMilliseconds) {
    this.compactionKeepMilliseconds = compactionKeepMilliseconds;
    return this;
  }

  /** {@code MaxFilesPerHour}; null for no cap. */
  public PeriodicBackupSetupBuilder maxFilesPerHour(Integer maxFilesPerHour) {
    this.maxFilesPerHour = maxFilesPerHour;
    return this;
  }

  /**
   * The setup.
   *
   * @throws ConfigurationException listing every invalid field
   */
  public PeriodicBackupSetup build() {
    return new PeriodicBackupSetup(
        disabled,
        glacierVaultName,
        s3BucketName,
        awsRegionEndpoint,
        s3RemoteFolderName,
        localFolderName,
        intervalMilliseconds,
        fullBackupIntervalMilliseconds,
        destinations,
        retentionKeepChains,
        retentionMinimumAgeMilliseconds,
        compression,
        compressionLevel,
        encryption,
        backupType,
        drillIntervalMilliseconds,
        drillColdStorage,
        leaseDurationMilliseconds,
        leaseWaitMilliseconds,
        compactionMilliseconds,
        compactionKeepMilliseconds,
        maxFilesPerHour);
  }
}
