package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.aws.AwsClientConfig;
import org.periodicbackups.aws.FaultProxy;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The contract, and failure behaviour, against S3Proxy running in this JVM. */
class S3ProxyDestinationTest extends S3DestinationContract {
  private static EmbeddedS3Proxy proxy;
  private static S3Target target;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = new EmbeddedS3Proxy();
    target = proxy.target("pbk-s3proxy");
  }

  @AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  @Override
  S3Target target() {
    return target;
  }

  @Test
  @DisplayName("an upload whose file shrinks after the first part leaves no object and no parts")
  void failedUploadLeavesNothing() throws Exception {
    Path source = file("shrinking", 16 * MIB);
    String key = destination.config().prefix() + "shop/shrinking.json.gz";
    try (S3Destination oneAtATime =
        target
            .builder()
            .prefix(destination.config().prefix())
            .partSizeBytes(5 * MIB)
            .parallelism(1)
            .build()) {
      oneAtATime.setPartListener(
          part -> {
            if (part == 1) {
              try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
                file.setLength(6 * MIB);
              }
            }
          });
      assertThatThrownBy(() -> oneAtATime.upload("shop/shrinking.json.gz", source, METADATA))
          .isInstanceOf(DestinationException.class)
          .hasMessageContaining("s3://pbk-s3proxy/" + key)
          .hasMessageContaining("shrank");
    }
    assertThatThrownBy(() -> raw.headObject(b -> b.bucket(target.bucket()).key(key)))
        .isInstanceOf(NoSuchKeyException.class);
    assertThat(raw.listMultipartUploads(b -> b.bucket(target.bucket())).uploads())
        .as("no pending multipart upload")
        .isEmpty();
    assertThat(destination.list("")).isEmpty();
  }

  @Test
  @DisplayName("a wrong secret key gives 'access denied', naming the settings, not the secret")
  void wrongSecretKey() throws IOException {
    String wrongSecret = "wrong-SECRET-value-123";
    try (S3Destination wrong =
        S3Destination.builder()
            .bucket(target.bucket())
            // S3Proxy closes the connection after refusing an upload body; a retry takes a fresh
            // one.
            .aws(
                a ->
                    a.endpoint(target.endpoint())
                        .credentials(EmbeddedS3Proxy.ACCESS_KEY, wrongSecret)
                        .maxAttempts(2))
            .build()) {
      assertThat(wrong.toString() + wrong.description()).doesNotContain(wrongSecret);
      Path source = file("x", 10);
      assertThatThrownBy(() -> wrong.upload("shop/x", source, METADATA))
          .isInstanceOf(DestinationException.class)
          .hasMessageContaining("access denied to s3://pbk-s3proxy")
          .hasMessageContaining(
              "the secret access key does not match the access key id (AWS error"
                  + " SignatureDoesNotMatch); check the secured setting Raven/AWSSecretKey")
          .satisfies(e -> assertThat(stackText(e)).doesNotContain(wrongSecret));
      assertThatThrownBy(() -> wrong.list(""))
          .hasMessageContaining("access denied to s3://pbk-s3proxy");
    }
  }

  @Test
  @DisplayName("an unknown access key gives 'access denied'")
  void unknownAccessKey() {
    try (S3Destination wrong =
        S3Destination.builder()
            .bucket(target.bucket())
            .aws(
                a ->
                    a.endpoint(target.endpoint())
                        .credentials("nobody", EmbeddedS3Proxy.SECRET_KEY)
                        .maxAttempts(2))
            .build()) {
      assertThatThrownBy(() -> wrong.open("shop/x"))
          .isInstanceOf(DestinationException.class)
          .hasMessageContaining("access denied to s3://pbk-s3proxy")
          .hasMessageContaining("the access key id is not known (AWS error InvalidAccessKeyId)")
          .satisfies(e -> assertThat(stackText(e)).doesNotContain(EmbeddedS3Proxy.SECRET_KEY));
    }
  }

  @Test
  @DisplayName("a missing bucket is named with its region")
  void missingBucket() throws IOException {
    try (S3Destination missing = target.builder().bucket("no-such-bucket").build()) {
      assertThatThrownBy(() -> missing.list(""))
          .isInstanceOf(DestinationException.class)
          .hasMessageContaining("bucket 'no-such-bucket' does not exist in region us-east-1");
      Path source = file("y", 10);
      assertThatThrownBy(() -> missing.upload("y", source, METADATA))
          .hasMessageContaining("bucket 'no-such-bucket' does not exist");
    }
  }

  @Test
  @DisplayName("an unreachable endpoint is named")
  void unreachableEndpoint() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    try (S3Destination unreachable =
        target.builder().aws(a -> a.endpoint(nowhere).maxAttempts(1)).build()) {
      assertThatThrownBy(() -> unreachable.list(""))
          .isInstanceOf(DestinationException.class)
          .hasMessageContaining("cannot reach the S3 endpoint " + nowhere);
    }
  }

  @Test
  @DisplayName("toString and description show bucket, prefix and endpoint, never the secret")
  void neverShowsSecret() {
    assertThat(destination.description())
        .isEqualTo(
            "s3://pbk-s3proxy/" + destination.config().prefix() + " at " + target.endpoint());
    assertThat(destination.toString())
        .contains("s3://pbk-s3proxy/", "credentials=Raven/AWSAccessKey")
        .doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
    assertThat(destination.config().toString()).doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
  }

  @Test
  @DisplayName("the MinIO client reads back, byte-exact, what the destination wrote")
  void minioClientReadsBack() throws Exception {
    Path source = file("for-minio", 6 * MIB + 5);
    destination.upload("shop/for minio.json.gz", source, METADATA);
    MinioClient minio =
        MinioClient.builder()
            .endpoint(target.endpoint().toString())
            .region("us-east-1")
            .credentials(target.accessKey(), target.secretKey())
            .build();
    try (InputStream in =
        minio.getObject(
            GetObjectArgs.builder()
                .bucket(target.bucket())
                .object(destination.config().prefix() + "shop/for minio.json.gz")
                .build())) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(source));
    }
  }

  @Test
  @DisplayName("RetryMode adaptive retries SlowDown answers like standard does")
  void adaptiveRetryModeRetriesThrottling() throws IOException {
    Path source = file("throttled", 1000);
    try (FaultProxy faults = new FaultProxy(target.endpoint());
        S3Destination adaptive =
            target
                .builder()
                .prefix(destination.config().prefix())
                .aws(
                    a ->
                        a.endpoint(faults.endpoint())
                            .maxAttempts(3)
                            .retryMode(AwsClientConfig.RetryMode.ADAPTIVE))
                .build()) {
      FaultProxy.Rule rule =
          faults.inject(FaultProxy.slowDown(), FaultProxy.putObject("throttled.json.gz"), 2);
      adaptive.upload("shop/throttled.json.gz", source, METADATA);
      assertThat(rule.hits()).isEqualTo(2);
    }
    try (InputStream in = destination.open("shop/throttled.json.gz")) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(source));
    }
  }

  static String stackText(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        text.append(s).append('\n');
      }
    }
    return text.toString();
  }
}
