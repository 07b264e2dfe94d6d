package org.periodicbackups.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy in this JVM on loopback, storing objects as files in a folder (so that large backups do
 * not need heap), with AWS V4 signatures checked against fixed benchmark credentials; and a plain
 * SDK client for it (Apache HTTP client, path-style).
 */
final class BenchS3Proxy implements AutoCloseable {
  static final String ACCESS = "bench-access";
  static final String SECRET = "bench-secret";

  private final S3Proxy proxy;
  final URI endpoint;

  BenchS3Proxy(Path storeFolder) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.identity", ACCESS);
    properties.setProperty("jclouds.credential", SECRET);
    properties.setProperty(
        "jclouds.filesystem.basedir", Files.createDirectories(storeFolder).toString());
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", properties))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A plain SDK client of this proxy; the caller closes it. */
  S3Client client() {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .build();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
