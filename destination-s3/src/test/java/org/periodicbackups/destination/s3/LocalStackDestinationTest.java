package org.periodicbackups.destination.s3;

import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * The contract against LocalStack's S3, where a Docker engine exists; skipped visibly elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackDestinationTest extends S3DestinationContract {
  @Container
  static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer("localstack/localstack:4.9").withServices("s3");

  private static S3Target target;

  @BeforeAll
  static void createBucket() {
    target =
        new S3Target(
                LOCALSTACK.getEndpoint(),
                LOCALSTACK.getAccessKey(),
                LOCALSTACK.getSecretKey(),
                "pbk-localstack")
            .withBucket();
  }

  @Override
  S3Target target() {
    return target;
  }
}
