package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;
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
}
