package org.periodicbackups.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;

class PeriodicBackupSetupTest {

  @Test
  @DisplayName("an empty setup has the documented defaults and no destination")
  void defaults() {
    PeriodicBackupSetup setup = PeriodicBackupSetup.empty();

    assertThat(setup.disabled()).isFalse();
    assertThat(setup.awsRegionEndpoint()).isEqualTo("us-east-1");
    assertThat(setup.compression()).isEqualTo("gzip");
    assertThat(setup.compressionLevel()).isNull();
    assertThat(setup.encryption()).isNull();
    assertThat(setup.intervalMilliseconds()).isNull();
    assertThat(setup.destinations()).isEmpty();
    assertThat(setup.requestedProviders()).isEmpty();
    assertThat(setup.destinationOptions("s3")).isEmpty();
  }

  @Test
  @DisplayName("the builder sets every field, and toBuilder copies them all")
  void builderMapsEveryField() {
    PeriodicBackupSetup setup =
        PeriodicBackupSetup.builder()
            .disabled(true)
            .glacierVaultName("vault")
            .s3BucketName("bucket")
            .awsRegionEndpoint("eu-west-1")
            .s3RemoteFolderName("prod")
            .localFolderName("/var/backups")
            .intervalMilliseconds(60_000L)
            .fullBackupIntervalMilliseconds(86_400_000L)
            .destination("sftp", Map.of("Host", "example.org"))
            .retentionKeepChains(3)
            .retentionMinimumAgeMilliseconds(604_800_000L)
            .compression("zstd")
            .compressionLevel(19)
            .encryption("aes-256-gcm-hkdf")
            .backupType("snapshot")
            .drillIntervalMilliseconds(3_600_000L)
            .drillColdStorage(true)
            .leaseDurationMilliseconds(30_000L)
            .leaseWaitMilliseconds(5_000L)
            .compactionMilliseconds(List.of(60_000L, 3_600_000L))
            .maxFilesPerHour(60)
            .build();

    assertThat(setup)
        .isEqualTo(
            new PeriodicBackupSetup(
                true,
                "vault",
                "bucket",
                "eu-west-1",
                "prod",
                "/var/backups",
                60_000L,
                86_400_000L,
                Map.of("sftp", Map.of("Host", "example.org")),
                3,
                604_800_000L,
                "zstd",
                19,
                "aes-256-gcm-hkdf",
                "snapshot",
                3_600_000L,
                true,
                30_000L,
                5_000L,
                List.of(60_000L, 3_600_000L),
                null,
                60));
    assertThat(setup.compactionWindows())
        .containsExactly(Duration.ofMinutes(1), Duration.ofHours(1));
    assertThat(setup.compactionKeep()).containsExactly(Duration.ofHours(1), Duration.ofDays(1));
    assertThat(setup.effectiveIntervalMilliseconds()).isEqualTo(60_000L);
    assertThat(
            setup.toBuilder().intervalMilliseconds(1_000L).build().effectiveIntervalMilliseconds())
        .isEqualTo(60_000L);
    assertThat(
            setup.toBuilder()
                .intervalMilliseconds(1_000L)
                .maxFilesPerHour(null)
                .build()
                .effectiveIntervalMilliseconds())
        .isEqualTo(1_000L);
    assertThatThrownBy(
            () ->
                PeriodicBackupSetup.builder()
                    .compactionMilliseconds(List.of(60_000L, 90_000L))
                    .compactionKeepMilliseconds(List.of(1L))
                    .maxFilesPerHour(0)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("90000 is not a multiple of the window before it (60000)")
        .hasMessageContaining("CompactionKeepMilliseconds: 1 value(s) for 2 compaction level(s)")
        .hasMessageContaining("MaxFilesPerHour: 0");
    assertThatThrownBy(
            () -> PeriodicBackupSetup.builder().compactionMilliseconds(List.of(500L)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("each window is at least 1000 milliseconds");
    assertThatThrownBy(
            () -> PeriodicBackupSetup.builder().compactionKeepMilliseconds(List.of(5L)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("given without CompactionMilliseconds");
    assertThat(PeriodicBackupSetup.empty().compactionWindows()).isEmpty();
    assertThat(setup.drillsColdStorage()).isTrue();
    assertThat(setup.leaseDuration()).hasSeconds(30);
    assertThat(setup.leaseWait()).hasSeconds(5);
    assertThat(PeriodicBackupSetup.empty().leaseDuration()).hasSeconds(60);
    assertThat(PeriodicBackupSetup.empty().leaseWait()).isZero();
    assertThatThrownBy(
            () ->
                PeriodicBackupSetup.builder()
                    .leaseDurationMilliseconds(999L)
                    .leaseWaitMilliseconds(-1L)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LeaseDurationMilliseconds: 999")
        .hasMessageContaining("LeaseWaitMilliseconds: -1");
    assertThat(PeriodicBackupSetup.empty().drillsColdStorage()).isFalse();
    assertThatThrownBy(() -> PeriodicBackupSetup.builder().drillIntervalMilliseconds(0L).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("DrillIntervalMilliseconds");
    assertThat(setup.toBuilder().build()).isEqualTo(setup);
    assertThat(setup.backupType()).isEqualTo(PeriodicBackupSetup.BACKUP_TYPE_SNAPSHOT);
    assertThat(setup.snapshots()).isTrue();
    assertThat(PeriodicBackupSetup.empty().backupType()).isEqualTo("Backup");
    assertThat(PeriodicBackupSetup.empty().snapshots()).isFalse();
    assertThatThrownBy(() -> PeriodicBackupSetup.builder().backupType("physical").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("BackupType: 'physical' is not known");
    assertThat(setup.toBuilder().s3BucketName(null).build().s3BucketName()).isNull();
    assertThat(setup.s3BucketName()).isEqualTo("bucket");
  }

  @Test
  @DisplayName("forProvider gives a setup with one Destinations entry and nothing else")
  void forProvider() {
    PeriodicBackupSetup setup = PeriodicBackupSetup.forProvider("sftp", Map.of("Host", "h"));

    assertThat(setup.destinations()).containsExactly(Map.entry("sftp", Map.of("Host", "h")));
    assertThat(setup.destinationOptions("sftp")).containsExactly(Map.entry("Host", "h"));
    assertThat(setup.localFolderName()).isNull();
    assertThat(setup.s3BucketName()).isNull();
  }

  @Test
  @DisplayName("blank strings count as absent and values are stripped")
  void blankIsAbsent() {
    PeriodicBackupSetup setup =
        PeriodicBackupSetup.builder()
            .s3BucketName("  ")
            .localFolderName(" /b ")
            .awsRegionEndpoint("")
            .compression(" ")
            .build();

    assertThat(setup.s3BucketName()).isNull();
    assertThat(setup.localFolderName()).isEqualTo("/b");
    assertThat(setup.awsRegionEndpoint()).isEqualTo("us-east-1");
    assertThat(setup.compression()).isEqualTo("gzip");
  }

  @Test
  @DisplayName("invalid values are all reported at once, each naming field, value and rule")
  void invalidValuesAreReportedTogether() {
    assertThatThrownBy(
            () ->
                PeriodicBackupSetup.builder()
                    .intervalMilliseconds(0L)
                    .fullBackupIntervalMilliseconds(-1L)
                    .retentionKeepChains(0)
                    .retentionMinimumAgeMilliseconds(-5L)
                    .compression("lz4")
                    .awsRegionEndpoint("EU West")
                    .encryption("rot13")
                    .destination(" ", Map.of())
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "Encryption: 'rot13' is not known; use aes-256-gcm-hkdf (require encryption),"
                            + " none (never encrypt), or leave it out (encrypt when the database has an"
                            + " encryption key)",
                        "IntervalMilliseconds: 0 is not allowed; it must be a positive number of"
                            + " milliseconds (for example 3600000 for one hour)",
                        "FullBackupIntervalMilliseconds: -1 is not allowed; it must be a positive"
                            + " number of milliseconds (for example 3600000 for one hour)",
                        "RetentionKeepChains: 0 is not allowed; keep at least 1 chain (the one being"
                            + " written), or leave it out to keep every chain",
                        "RetentionMinimumAgeMilliseconds: -5 is not allowed; it must be 0 or a positive"
                            + " number of milliseconds",
                        "Compression: 'lz4' is not known; use gzip or zstd",
                        "AwsRegionEndpoint: 'EU West' is not an AWS region name such as us-east-1 or"
                            + " eu-west-1",
                        "Destinations: a provider name is blank"));
  }

  @Test
  @DisplayName("a compression level is checked against its codec's range")
  void compressionLevelPerCodec() {
    assertThat(
            PeriodicBackupSetup.builder()
                .compression("zstd")
                .compressionLevel(19)
                .build()
                .compressionLevel())
        .isEqualTo(19);
    assertThatThrownBy(() -> PeriodicBackupSetup.builder().compressionLevel(10).build())
        .hasMessage("CompressionLevel: 10 is not allowed for gzip; it must be 1 (fastest) to 9");
  }

  @Test
  @DisplayName("the providers a setup asks for are named with the field that asks")
  void requestedProviders() {
    PeriodicBackupSetup setup =
        PeriodicBackupSetup.builder()
            .glacierVaultName("v")
            .s3BucketName("b")
            .localFolderName("/l")
            .destination("s3", Map.of("Endpoint", "x"))
            .destination("sftp", Map.of())
            .build();

    assertThat(setup.requestedProviders())
        .containsExactly(
            Map.entry("glacier", "GlacierVaultName"), Map.entry("s3", "S3BucketName"),
            Map.entry("filesystem", "LocalFolderName"), Map.entry("sftp", "Destinations.sftp"));
    assertThat(PeriodicBackupSetup.forProvider("s3", Map.of()).requestedProviders())
        .containsExactly(Map.entry("s3", "Destinations.s3"));
  }

  @Test
  @DisplayName("the destinations map and its options cannot be changed from outside")
  void destinationsAreImmutableCopies() {
    PeriodicBackupSetup setup = PeriodicBackupSetup.forProvider("sftp", Map.of("Host", "h"));

    assertThatThrownBy(() -> setup.destinations().put("x", Map.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> setup.destinationOptions("sftp").put("Port", "22"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
