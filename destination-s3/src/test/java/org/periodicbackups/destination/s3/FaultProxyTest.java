package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.aws.FaultProxy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The proxy on its own, with a plain SDK client that does not retry, against the embedded S3Proxy:
 * it forwards faithfully, and each fault happens as planned and is counted, so that the
 * fault-injection suites cannot pass without their faults.
 */
class FaultProxyTest {
  private static final int MIB = 1024 * 1024;
  private static EmbeddedS3Proxy s3proxy;
  private static S3Target target;
  private FaultProxy proxy;
  private S3Client client;

  @BeforeAll
  static void startS3Proxy() throws Exception {
    s3proxy = new EmbeddedS3Proxy();
    target = s3proxy.target("pbk-fault-proxy");
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    s3proxy.close();
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = new FaultProxy(target.endpoint());
    client = client(Duration.ofSeconds(20));
  }

  /** A client of the proxy that makes one attempt per request. */
  private S3Client client(Duration attemptTimeout) {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(proxy.endpoint())
        .forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(target.accessKey(), target.secretKey())))
        .overrideConfiguration(
            o -> o.retryStrategy(r -> r.maxAttempts(1)).apiCallAttemptTimeout(attemptTimeout))
        .build();
  }

  @AfterEach
  void stopProxy() throws IOException {
    client.close();
    proxy.close();
  }

  @Test
  @DisplayName("without rules, uploads (single and multipart), reads and listings pass unchanged")
  void forwardsFaithfully() throws IOException {
    byte[] data = bytes(6 * MIB + 3);
    client.putObject(b -> b.bucket(target.bucket()).key("plain"), RequestBody.fromBytes(data));
    assertThat(read("plain")).isEqualTo(data);
    String id =
        client.createMultipartUpload(b -> b.bucket(target.bucket()).key("multi")).uploadId();
    String etag =
        client
            .uploadPart(
                b -> b.bucket(target.bucket()).key("multi").uploadId(id).partNumber(1),
                RequestBody.fromBytes(data))
            .eTag();
    client.completeMultipartUpload(
        b ->
            b.bucket(target.bucket())
                .key("multi")
                .uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
    assertThat(read("multi")).isEqualTo(data);
    assertThat(client.headObject(b -> b.bucket(target.bucket()).key("multi")).contentLength())
        .isEqualTo(data.length);
    assertThat(client.listObjectsV2(b -> b.bucket(target.bucket())).contents())
        .extracting(o -> o.key())
        .contains("plain", "multi");
    assertThat(proxy.forwarded()).isEqualTo(8);
  }

  @Test
  @DisplayName("an error rule answers 503 SlowDown with S3's XML body, as often as planned")
  void answersErrors() {
    FaultProxy.Rule rule = proxy.inject(FaultProxy.slowDown(), FaultProxy.putObject("x"), 2);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () ->
                  client.putObject(
                      b -> b.bucket(target.bucket()).key("x"), RequestBody.fromBytes(bytes(1000))))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
              });
    }
    assertThatThrownBy(() -> client.headObject(b -> b.bucket(target.bucket()).key("x")))
        .as("the server never saw the refused uploads")
        .isInstanceOf(NoSuchKeyException.class);
    client.putObject(b -> b.bucket(target.bucket()).key("x"), RequestBody.fromBytes(bytes(1000)));
    assertThat(rule.hits()).isEqualTo(2);
    assertThat(rule.hitRequests()).allMatch(r -> r.startsWith("PUT /pbk-fault-proxy/x"));
  }

  @Test
  @DisplayName("a reset rule cuts the connection after the planned bytes of the request body")
  void resetsMidBody() {
    FaultProxy.Rule rule =
        proxy.inject(FaultProxy.resetAfter(MIB), FaultProxy.putObject("reset"), 1);
    assertThatThrownBy(
            () ->
                client.putObject(
                    b -> b.bucket(target.bucket()).key("reset"),
                    RequestBody.fromBytes(bytes(6 * MIB))))
        .isInstanceOf(SdkClientException.class)
        .satisfies(e -> assertThat(rootCause(e)).isInstanceOf(SocketException.class));
    assertThat(rule.hits()).isEqualTo(1);
    assertThatThrownBy(() -> client.headObject(b -> b.bucket(target.bucket()).key("reset")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  @DisplayName("a stall rule never answers: the client's attempt timeout ends the request")
  void stalls() {
    client.putObject(b -> b.bucket(target.bucket()).key("slow"), RequestBody.fromBytes(bytes(10)));
    FaultProxy.Rule rule = proxy.inject(FaultProxy.stall(), FaultProxy.getObject("slow"), 1);
    long started = System.nanoTime();
    try (S3Client impatient = client(Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> impatient.getObject(b -> b.bucket(target.bucket()).key("slow")))
          .isInstanceOf(ApiCallAttemptTimeoutException.class);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(rule.hits()).isEqualTo(1);
  }

  @Test
  @DisplayName("a truncating rule sends the full Content-Length but only part of the body")
  void truncatesResponses() throws IOException {
    byte[] data = bytes(3 * MIB);
    client.putObject(b -> b.bucket(target.bucket()).key("cut"), RequestBody.fromBytes(data));
    FaultProxy.Rule rule =
        proxy.inject(FaultProxy.truncateResponse(MIB + 7), FaultProxy.getObject("cut"), 1);
    long received = 0;
    IOException failure = null;
    try (InputStream in = client.getObject(b -> b.bucket(target.bucket()).key("cut"))) {
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received += n;
      }
    } catch (IOException e) {
      failure = e;
    }
    assertThat(failure)
        .as("a short body is an error, not an end of stream")
        .hasMessageContaining("Premature end of Content-Length delimited message body");
    assertThat(received).isEqualTo(MIB + 7);
    assertThat(rule.hits()).isEqualTo(1);
    assertThat(read("cut")).as("the next read is whole").isEqualTo(data);
  }

  @Test
  @DisplayName("a response reset rule cuts the answer with a connection reset")
  void resetsResponses() throws IOException {
    byte[] data = bytes(2 * MIB);
    client.putObject(b -> b.bucket(target.bucket()).key("rst"), RequestBody.fromBytes(data));
    FaultProxy.Rule rule =
        proxy.inject(FaultProxy.resetResponseAfter(MIB), FaultProxy.getObject("rst"), 1);
    assertThatThrownBy(() -> read("rst")).isInstanceOf(IOException.class);
    assertThat(rule.hits()).isEqualTo(1);
    assertThat(read("rst")).isEqualTo(data);
  }

  @Test
  @DisplayName("skip lets the first matches pass: only the 2nd part fails")
  void skipsEarlierMatches() {
    FaultProxy.Rule rule =
        proxy.inject(
            FaultProxy.internalError(), r -> r.method().equals("PUT") && r.partNumber() > 0, 1, 1);
    String id =
        client.createMultipartUpload(b -> b.bucket(target.bucket()).key("parts")).uploadId();
    client.uploadPart(
        b -> b.bucket(target.bucket()).key("parts").uploadId(id).partNumber(1),
        RequestBody.fromBytes(bytes(5 * MIB)));
    assertThatThrownBy(
            () ->
                client.uploadPart(
                    b -> b.bucket(target.bucket()).key("parts").uploadId(id).partNumber(2),
                    RequestBody.fromBytes(bytes(100))))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError"));
    client.uploadPart(
        b -> b.bucket(target.bucket()).key("parts").uploadId(id).partNumber(2),
        RequestBody.fromBytes(bytes(100)));
    assertThat(rule.hits()).isEqualTo(1);
    assertThat(rule.hitRequests().get(0)).contains("partNumber=2");
    client.abortMultipartUpload(b -> b.bucket(target.bucket()).key("parts").uploadId(id));
  }

  private byte[] read(String key) throws IOException {
    try (InputStream in = client.getObject(b -> b.bucket(target.bucket()).key(key))) {
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root;
  }
}
