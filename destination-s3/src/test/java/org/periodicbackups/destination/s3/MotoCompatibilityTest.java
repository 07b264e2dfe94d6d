package org.periodicbackups.destination.s3;

import java.net.URI;
import org.junit.jupiter.api.Assumptions;

/**
 * The compatibility kit against moto's S3, when {@code PBK_MOTO_ENDPOINT} is set. Otherwise every
 * rule is skipped with the reason, from the kit's {@code @BeforeEach} (a {@code @BeforeAll} skip
 * would hide the class from surefire's counts).
 */
class MotoCompatibilityTest extends S3CompatibilityKit {
  private static S3Target target;

  @Override
  S3Target target() {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: moto tests skipped (.ci/with-moto.sh starts moto)");
    synchronized (MotoCompatibilityTest.class) {
      if (target == null) {
        target =
            new S3Target(
                    URI.create(endpoint.strip()), "pbk-moto-key", "pbk-moto-secret", "pbk-moto-tck")
                .withBucket();
      }
      return target;
    }
  }
}
