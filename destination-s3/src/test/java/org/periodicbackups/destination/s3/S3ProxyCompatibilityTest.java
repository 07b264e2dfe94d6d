package org.periodicbackups.destination.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The compatibility kit against S3Proxy in this JVM: each test gets its own key prefix. */
class S3ProxyCompatibilityTest extends S3CompatibilityKit {
  private static EmbeddedS3Proxy proxy;
  private static S3Target target;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = new EmbeddedS3Proxy();
    target = proxy.target("pbk-tck");
  }

  @AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  @Override
  S3Target target() {
    return target;
  }
}
