package org.periodicbackups.destination.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Destination faults between the SDK and the S3Proxy embedded in this JVM. */
class S3ProxyFaultInjectionTest extends S3FaultInjectionContract {
  private static EmbeddedS3Proxy s3proxy;
  private static S3Target server;

  @BeforeAll
  static void startS3Proxy() throws Exception {
    s3proxy = new EmbeddedS3Proxy();
    server = s3proxy.target("pbk-faults");
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    s3proxy.close();
  }

  @Override
  S3Target server() {
    return server;
  }
}
