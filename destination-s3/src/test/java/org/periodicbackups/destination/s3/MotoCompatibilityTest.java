package org.periodicbackups.destination.s3;

import java.net.URI;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The compatibility kit against moto's S3, when {@code PBK_MOTO_ENDPOINT} is set. */
class MotoCompatibilityTest extends S3CompatibilityKit {
  private static S3Target target;

  @BeforeAll
  static void requireMoto() {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: moto tests skipped (.ci/with-moto.sh starts moto)");
    target = new S3Target(URI.create(endpoint.strip()), "pbk-moto-key", "pbk-moto-secret",
        "pbk-moto-tck").withBucket();
  }

  @Override
  S3Target target() {
    return target;
  }
}
