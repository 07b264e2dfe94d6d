package org.periodicbackups.destination.s3;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * S3Proxy in this JVM, on an ephemeral loopback port, with an in-memory store and AWS V4 signatures
 * checked against fixed test credentials. Shared with other modules' tests through this module's
 * test jar.
 */
public final class EmbeddedS3Proxy implements AutoCloseable {
  public static final String ACCESS_KEY = "pbk-test-access";
  public static final String SECRET_KEY = "pbk-test-SECRET-do-not-print";

  private final S3Proxy proxy;
  private final URI endpoint;

  /** Starts it; {@link #close()} stops it. */
  public EmbeddedS3Proxy() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.identity", ACCESS_KEY);
    properties.setProperty("jclouds.credential", SECRET_KEY);
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("transient", properties))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
            // The SDK's checksum headers are unknown to S3Proxy; without this it refuses parts.
            .ignoreUnknownHeaders(true)
            .jettyMaxThreads(16)
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** The proxy with {@code bucket} created. */
  public S3Target target(String bucket) {
    return new S3Target(endpoint, ACCESS_KEY, SECRET_KEY, bucket).withBucket();
  }

  /** Where it listens. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
