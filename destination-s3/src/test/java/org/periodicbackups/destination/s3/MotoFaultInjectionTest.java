package org.periodicbackups.destination.s3;

import java.net.URI;
import org.junit.jupiter.api.Assumptions;

/**
 * Destination faults between the SDK and moto's S3, when {@code PBK_MOTO_ENDPOINT} is set ({@code
 * .ci/with-moto.sh} starts moto and sets it); otherwise every test is skipped, saying so.
 */
class MotoFaultInjectionTest extends S3FaultInjectionContract {
  private static S3Target server;

  @Override
  S3Target server() {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: moto fault-injection tests skipped (.ci/with-moto.sh starts"
            + " moto)");
    synchronized (MotoFaultInjectionTest.class) {
      if (server == null) {
        server =
            new S3Target(
                    URI.create(endpoint.strip()),
                    "pbk-moto-key",
                    "pbk-moto-secret",
                    "pbk-moto-faults")
                .withBucket();
      }
      return server;
    }
  }
}
