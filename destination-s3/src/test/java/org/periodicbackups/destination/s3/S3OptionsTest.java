package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.aws.AwsClientConfig;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

class S3OptionsTest {

  @Test
  @DisplayName("storage classes by file type and Object Lock map to the configuration")
  void storageClassesByTypeAndObjectLock() throws IOException {
    S3DestinationConfig config =
        configOf(
            Map.of(
                "StorageClass", "standard_ia",
                "FullStorageClass", "GLACIER_IR",
                "IncrementalStorageClass", "DEEP_ARCHIVE",
                "ObjectLockMode", "compliance",
                "ObjectLockDays", "30"));
    assertThat(config.storageClassFor(BackupType.FULL)).isEqualTo(StorageClass.GLACIER_IR);
    assertThat(config.storageClassFor(BackupType.INCREMENTAL)).isEqualTo(StorageClass.DEEP_ARCHIVE);
    assertThat(config.storageClassFor(null)).isEqualTo(StorageClass.STANDARD_IA);
    assertThat(config.archiveStorage()).as("incrementals go to DEEP_ARCHIVE").isTrue();
    assertThat(config.storageClassDescription())
        .isEqualTo("full GLACIER_IR, incremental DEEP_ARCHIVE");
    assertThat(config.objectLock()).isEqualTo(new S3ObjectLock(ObjectLockMode.COMPLIANCE, 30));
    S3DestinationConfig fullsOnly = configOf(Map.of("FullStorageClass", "GLACIER_IR"));
    assertThat(fullsOnly.storageClassFor(BackupType.INCREMENTAL)).isNull();
    assertThat(fullsOnly.archiveStorage()).isFalse();
  }

  @Test
  @DisplayName("Object Lock needs a mode and a number of days, each valid")
  void objectLockProblems() {
    assertThatThrownBy(() -> configOf(Map.of("ObjectLockMode", "GOVERNANCE")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Destinations.s3.ObjectLockDays: missing");
    assertThatThrownBy(() -> configOf(Map.of("ObjectLockDays", "7")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Destinations.s3.ObjectLockMode: missing");
    assertThatThrownBy(
            () ->
                configOf(
                    Map.of(
                        "ObjectLockMode",
                        "forever",
                        "ObjectLockDays",
                        "0",
                        "IncrementalStorageClass",
                        "ICY")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Destinations.s3.ObjectLockMode: 'forever' is not valid")
        .hasMessageContaining("Destinations.s3.IncrementalStorageClass: 'ICY' is not valid")
        .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(2));
    assertThatThrownBy(
            () -> configOf(Map.of("ObjectLockMode", "GOVERNANCE", "ObjectLockDays", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ObjectLockDays: 0 must be between 1 and 36500");
  }

  @Test
  @DisplayName("no options give the documented defaults")
  void defaults() throws IOException {
    S3DestinationConfig config = configOf(Map.of());
    assertThat(config.region()).isEqualTo("us-east-1");
    assertThat(config.prefix()).isEmpty();
    assertThat(config.endpoint()).isNull();
    assertThat(config.storageClass()).isNull();
    assertThat(config.serverSideEncryption()).isNull();
    assertThat(config.partSizeBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(config.parallelism()).isEqualTo(2);
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.aws().retryMode()).isEqualTo(AwsClientConfig.RetryMode.STANDARD);
    assertThat(config.aws().attemptTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.aws().callTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.restoreWait()).isEqualTo(Duration.ofHours(6));
    assertThat(config.restorePoll()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.restoreDays()).isEqualTo(1);
    assertThat(config.restoreTier()).isEqualTo(Tier.STANDARD);
    assertThat(config.archiveStorage()).isFalse();
  }

  @Test
  @DisplayName("every option maps to the configuration")
  void fullMapping() throws IOException {
    S3DestinationConfig config =
        configOf(
            Map.ofEntries(
                Map.entry("Endpoint", "http://127.0.0.1:9000"),
                Map.entry("PathStyle", "false"),
                Map.entry("StorageClass", "GLACIER"),
                Map.entry("ServerSideEncryption", "aws:kms"),
                Map.entry("KmsKeyId", "alias/backups"),
                Map.entry("PartSizeMiB", "64"),
                Map.entry("Parallelism", "4"),
                Map.entry("MaxAttempts", "7"),
                Map.entry("RetryMode", "Adaptive"),
                Map.entry("AttemptTimeoutSeconds", "20"),
                Map.entry("CallTimeoutSeconds", "90"),
                Map.entry("RestoreWaitMinutes", "30"),
                Map.entry("RestorePollSeconds", "10"),
                Map.entry("RestoreDays", "3"),
                Map.entry("RestoreTier", "expedited")));
    assertThat(config.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(config.pathStyle()).isFalse();
    assertThat(config.storageClass()).isEqualTo(StorageClass.GLACIER);
    assertThat(config.archiveStorage()).isTrue();
    assertThat(config.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(config.kmsKeyId()).isEqualTo("alias/backups");
    assertThat(config.partSizeBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.parallelism()).isEqualTo(4);
    assertThat(config.maxAttempts()).isEqualTo(7);
    assertThat(config.aws().retryMode()).isEqualTo(AwsClientConfig.RetryMode.ADAPTIVE);
    assertThat(config.aws().attemptTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.aws().callTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.restoreWait()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.restorePoll()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.restoreDays()).isEqualTo(3);
    assertThat(config.restoreTier()).isEqualTo(Tier.EXPEDITED);
    assertThat(config.description()).isEqualTo("s3://bucket/ at http://127.0.0.1:9000");
  }

  @Test
  @DisplayName("AES256 selects SSE-S3; an endpoint defaults to path-style addressing")
  void sseS3AndPathStyleDefault() throws IOException {
    S3DestinationConfig config =
        configOf(Map.of("ServerSideEncryption", "aes256", "Endpoint", "http://minio.local:9000"));
    assertThat(config.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(config.pathStyle()).isTrue();
  }

  @Test
  @DisplayName("invalid options are all reported at once, with a hint for a misspelt key")
  void invalidOptions() {
    assertThatThrownBy(
            () ->
                configOf(
                    Map.of(
                        "PartSizeMb",
                        "8",
                        "Parallelism",
                        "many",
                        "StorageClass",
                        "COLD",
                        "ServerSideEncryption",
                        "rot13",
                        "RestoreTier",
                        "Fast",
                        "PathStyle",
                        "yes",
                        "RetryMode",
                        "eager",
                        "AttemptTimeoutSeconds",
                        "1m")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(8))
        .hasMessageContaining(
            "Destinations.s3.RetryMode: 'eager' is not valid; expected standard" + " or adaptive")
        .hasMessageContaining(
            "Destinations.s3.AttemptTimeoutSeconds: '1m' is not valid; expected"
                + " a whole number")
        .hasMessageContaining("Destinations.s3.PathStyle: 'yes' is not valid")
        .hasMessageContaining(
            "Destinations.s3.PartSizeMb: unknown option; did you mean" + " PartSizeMiB?")
        .hasMessageContaining(
            "Destinations.s3.Parallelism: 'many' is not valid; expected a whole" + " number")
        .hasMessageContaining("Destinations.s3.StorageClass: 'COLD' is not valid")
        .hasMessageContaining("Destinations.s3.ServerSideEncryption: 'rot13'")
        .hasMessageContaining("Destinations.s3.RestoreTier: 'Fast'");
  }

  @Test
  @DisplayName("out-of-range values are reported by the configuration record, all at once")
  void outOfRangeValues() {
    assertThatThrownBy(
            () ->
                configOf(
                    Map.of(
                        "PartSizeMiB",
                        "4",
                        "Parallelism",
                        "0",
                        "MaxAttempts",
                        "0",
                        "KmsKeyId",
                        "k",
                        "RestorePollSeconds",
                        "0",
                        "RestoreDays",
                        "0")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(6))
        .hasMessageContaining(
            "PartSizeMiB: 4 MiB is not allowed; S3 parts must be between" + " 5 MiB and 5 GiB")
        .hasMessageContaining("Parallelism: 0 must be between 1 and 64")
        .hasMessageContaining(
            "KmsKeyId: a KMS key is given but ServerSideEncryption is not" + " aws:kms");
  }

  @Test
  @DisplayName("timeouts out of range, or a call timeout shorter than one attempt, are named")
  void invalidTimeouts() {
    assertThatThrownBy(
            () -> configOf(Map.of("AttemptTimeoutSeconds", "0", "CallTimeoutSeconds", "999999")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("AttemptTimeoutSeconds: 0 must be between 1 and 86400")
        .hasMessageContaining("CallTimeoutSeconds: 999999 must be between 1 and 86400");
    assertThatThrownBy(
            () -> configOf(Map.of("AttemptTimeoutSeconds", "120", "CallTimeoutSeconds", "60")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(
            "CallTimeoutSeconds: 60 is shorter than AttemptTimeoutSeconds 120;"
                + " a request must be allowed at least one whole attempt");
  }

  @Test
  @DisplayName("a missing bucket and an unsafe prefix are named")
  void missingBucketAndUnsafePrefix() {
    assertThatThrownBy(() -> S3Destination.builder().prefix("a/../b").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("S3BucketName: the bucket name is missing")
        .hasMessageContaining("S3RemoteFolderName: 'a/../b/' is not a safe key prefix");
  }

  @Test
  @DisplayName("prefixes get no leading slash and exactly one trailing slash")
  void normalizesPrefix() {
    assertThat(S3DestinationConfig.normalizePrefix(null)).isEmpty();
    assertThat(S3DestinationConfig.normalizePrefix(" / ")).isEmpty();
    assertThat(S3DestinationConfig.normalizePrefix("backups")).isEqualTo("backups/");
    assertThat(S3DestinationConfig.normalizePrefix("/backups/prod//")).isEqualTo("backups/prod/");
  }

  @Test
  @DisplayName("the x-amz-restore header is read as none, ongoing or done")
  void readsRestoreHeader() {
    assertThat(ArchiveRestorer.RestoreStatus.of(null))
        .isEqualTo(ArchiveRestorer.RestoreStatus.NONE);
    assertThat(ArchiveRestorer.RestoreStatus.of("ongoing-request=\"true\""))
        .isEqualTo(ArchiveRestorer.RestoreStatus.ONGOING);
    assertThat(
            ArchiveRestorer.RestoreStatus.of(
                "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\""))
        .isEqualTo(ArchiveRestorer.RestoreStatus.DONE);
  }

  private static S3DestinationConfig configOf(Map<String, String> options) throws IOException {
    S3Destination.Builder builder = S3Destination.builder().bucket("bucket");
    S3Options.apply(
        DestinationContext.of(
            "shop",
            PeriodicBackupSetup.builder()
                .s3BucketName("bucket")
                .destination("s3", options)
                .build()),
        builder);
    try (S3Destination destination = builder.build()) {
      return destination.config();
    }
  }
}
