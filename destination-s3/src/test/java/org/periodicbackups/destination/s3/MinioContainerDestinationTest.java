package org.periodicbackups.destination.s3;

import java.net.URI;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The contract against a MinIO server, where a Docker engine exists; skipped visibly elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class MinioContainerDestinationTest extends S3DestinationContract {
  @Container
  static final MinIOContainer MINIO =
      new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z");

  private static S3Target target;

  @BeforeAll
  static void createBucket() {
    target =
        new S3Target(
                URI.create(MINIO.getS3URL()), MINIO.getUserName(), MINIO.getPassword(), "pbk-minio")
            .withBucket();
  }

  @Override
  S3Target target() {
    return target;
  }
}
