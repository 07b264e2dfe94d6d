package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.ColdStorage;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.aws.FaultProxy;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The contract and the archive read path against moto's S3, which, like AWS, refuses to GET a
 * GLACIER object until it is restored (moto completes restores at once). Runs when {@code
 * PBK_MOTO_ENDPOINT} is set ({@code .ci/with-moto.sh} starts moto and sets it).
 */
class MotoDestinationTest extends S3DestinationContract {
  private static S3Target target;

  /**
   * Skips each test, with the reason, when moto is not there (a class-level skip shows no count).
   */
  @Override
  S3Target target() {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: moto tests skipped (.ci/with-moto.sh starts moto)");
    synchronized (MotoDestinationTest.class) {
      if (target == null) {
        target =
            new S3Target(
                    URI.create(endpoint.strip()), "pbk-moto-key", "pbk-moto-secret", "pbk-moto")
                .withBucket();
      }
      return target;
    }
  }

  @Test
  @DisplayName("GLACIER objects are refused to plain GETs and restored by open")
  void readsArchivedObjectsAfterRestore() throws IOException {
    try (S3Destination glacier =
        target()
            .builder()
            .prefix(destination.config().prefix())
            .partSizeBytes(5 * MIB)
            .storageClass(StorageClass.GLACIER)
            .restoreWait(Duration.ofSeconds(30), Duration.ofMillis(200))
            .build()) {
      assertThat(glacier.capabilities().immediateReads()).isFalse();
      for (long size : new long[] {1000, 11 * MIB}) {
        String name = "shop/archived-" + size + ".json.gz";
        String key = destination.config().prefix() + name;
        Path source = file("archived", size);
        glacier.upload(name, source, METADATA);
        assertThat(raw.headObject(b -> b.bucket(target().bucket()).key(key)).storageClass())
            .isEqualTo(StorageClass.GLACIER);
        assertThatThrownBy(() -> raw.getObject(b -> b.bucket(target().bucket()).key(key)))
            .isInstanceOf(S3Exception.class)
            .satisfies(
                e ->
                    assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                        .isEqualTo("InvalidObjectState"));
        try (InputStream in = glacier.open(name)) {
          assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(source));
        }
        assertThat(raw.headObject(b -> b.bucket(target().bucket()).key(key)).restore())
            .contains("ongoing-request=\"false\"");
      }
    }
  }

  @Test
  @DisplayName("fulls and incrementals go to the storage class the setup gives each")
  void storageClassPerFileType() throws IOException {
    try (S3Destination split =
        target()
            .builder()
            .prefix(destination.config().prefix())
            .storageClass(StorageClass.STANDARD_IA)
            .storageClasses(StorageClass.GLACIER_IR, StorageClass.STANDARD)
            .build()) {
      Path source = file("typed", 1000);
      split.upload(
          "shop/typed.full.json.gz",
          source,
          new UploadMetadata("shop", BackupType.FULL, 0, 2, METADATA.sha256()));
      split.upload(
          "shop/typed.incremental.json.gz",
          source,
          new UploadMetadata("shop", BackupType.INCREMENTAL, 1, 2, METADATA.sha256()));
      split.upload("shop/typed.other", source, null);
      String prefix = destination.config().prefix();
      assertThat(
              raw.headObject(
                      b -> b.bucket(target().bucket()).key(prefix + "shop/typed.full.json.gz"))
                  .storageClass())
          .isEqualTo(StorageClass.GLACIER_IR);
      assertThat(
              raw.headObject(
                      b ->
                          b.bucket(target().bucket())
                              .key(prefix + "shop/typed.incremental.json.gz"))
                  .storageClass())
          .as("S3 reports STANDARD as no storage class")
          .isIn(StorageClass.STANDARD, null);
      assertThat(
              raw.headObject(b -> b.bucket(target().bucket()).key(prefix + "shop/typed.other"))
                  .storageClass())
          .isEqualTo(StorageClass.STANDARD_IA);
      assertThat(split.location())
          .containsEntry("storage class", "full GLACIER_IR, incremental STANDARD");
    }
  }

  @Test
  @DisplayName(
      "cold storage: states from the listing and HEAD, a bulk thaw, and a second restore that"
          + " reuses the restored copies without a new request")
  void bulkThawAndReuse() throws Exception {
    try (S3Destination glacier =
        target()
            .builder()
            .prefix(destination.config().prefix())
            .storageClasses(StorageClass.GLACIER, StorageClass.STANDARD)
            .restoreWait(Duration.ofSeconds(30), Duration.ofMillis(200))
            .build()) {
      Path source = file("thawed", 1000);
      glacier.upload(
          "shop/c/000000.full.json.gz",
          source,
          new UploadMetadata("shop", BackupType.FULL, 0, 2, METADATA.sha256()));
      glacier.upload(
          "shop/c/000001.incremental.json.gz",
          source,
          new UploadMetadata("shop", BackupType.INCREMENTAL, 2, 4, METADATA.sha256()));
      List<String> names =
          List.of("shop/c/000000.full.json.gz", "shop/c/000001.incremental.json.gz");
      ColdStorage cold = glacier.coldStorage().orElseThrow();
      assertThat(cold.states(names))
          .extracting(ColdStorage.FileState::storageClass, ColdStorage.FileState::availability)
          .containsExactly(
              tuple("GLACIER", ColdStorage.Availability.MUST_REQUEST),
              tuple("STANDARD", ColdStorage.Availability.READABLE));
      assertThat(cold.states(names).get(0).size()).isEqualTo(1000);
      cold.thaw(names);
      assertThat(cold.states(names).get(0).availability())
          .isEqualTo(ColdStorage.Availability.RESTORED);
      assertThat(cold.states(names).get(0).readableUntil()).isAfter(Instant.now());
    }
    // A second restore, through a proxy that fails every restore request: none is sent.
    try (FaultProxy proxy = new FaultProxy(target().endpoint());
        S3Destination again =
            S3Destination.builder()
                .bucket(target().bucket())
                .prefix(destination.config().prefix())
                .aws(
                    a ->
                        a.endpoint(proxy.endpoint())
                            .credentials(target().accessKey(), target().secretKey())
                            .maxAttempts(1))
                .build()) {
      FaultProxy.Rule restores =
          proxy.inject(FaultProxy.internalError(), r -> r.query().contains("restore"), 100);
      List<String> names =
          List.of("shop/c/000000.full.json.gz", "shop/c/000001.incremental.json.gz");
      again.coldStorage().orElseThrow().thaw(names);
      try (InputStream in = again.open(names.get(0))) {
        assertThat(in.readAllBytes()).hasSize(1000);
      }
      assertThat(restores.hits()).as("restore requests sent the second time").isZero();
    }
    assertThatThrownBy(
            () -> destination.coldStorage().orElseThrow().states(List.of("shop/c/missing.gz")))
        .isInstanceOf(BackupFileNotFoundException.class);
  }
}
