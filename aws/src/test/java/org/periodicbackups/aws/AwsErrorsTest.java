package org.periodicbackups.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.DestinationException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The messages of the failure classes every AWS service shares, from the SDK's own exception types
 * as the clients throw them.
 */
class AwsErrorsTest {
  private final AwsClientConfig config =
      AwsClientConfig.builder()
          .maxAttempts(3)
          .endpoint(URI.create("http://127.0.0.1:9"))
          .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30))
          .build();
  private final AwsErrors errors = new AwsErrors("S3", config);

  private IOException translate(SdkException e) {
    return errors.translate("the upload of s3://b/k", "s3://b", "the bucket policy", e);
  }

  private static AwsServiceException answer(int status, String code, int attempts) {
    return AwsServiceException.builder()
        .statusCode(status)
        .requestId("req-1")
        .numAttempts(attempts)
        .message(code + " (Service: S3, Status Code: " + status + ")")
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).errorMessage("the message").build())
        .build();
  }

  @Test
  @DisplayName("refused credentials name the settings to check and the resource's policy")
  void accessDenied() {
    IOException e = translate(answer(403, "SignatureDoesNotMatch", 1));

    assertThat(e)
        .isInstanceOf(DestinationException.class)
        .hasMessage(
            "access denied to s3://b (the upload of s3://b/k, AWS error"
                + " SignatureDoesNotMatch): check Raven/AWSAccessKey and Raven/AWSSecretKey, or the"
                + " bucket policy and the IAM permissions of these credentials");
    assertThat(translate(answer(400, "UnrecognizedClientException", 1)))
        .hasMessageStartingWith("access denied to s3://b");
  }

  @Test
  @DisplayName("an answer retried until MaxAttempts says how often and that it gave up")
  void throttlingWithAttemptCounts() {
    AwsServiceException slowDown = answer(503, "SlowDown", 3);
    slowDown.addSuppressed(
        new RuntimeException("Request attempt 1 failure: " + slowDown.getMessage()));
    slowDown.addSuppressed(
        new RuntimeException("Request attempt 2 failure: " + slowDown.getMessage()));

    assertThat(translate(slowDown))
        .hasMessage(
            "S3 answered 503 SlowDown 3 times for the upload"
                + " of s3://b/k: the message (request id req-1); gave up after 3 attempts (MaxAttempts)");
    assertThat(AwsErrors.attempts(slowDown)).isEqualTo(3);
  }

  @Test
  @DisplayName("attempts that failed differently are listed")
  void differentEarlierAttempts() {
    AwsServiceException last = answer(500, "InternalError", 2);
    last.addSuppressed(new RuntimeException("Request attempt 1 failure: Connection reset"));

    assertThat(translate(last).getMessage())
        .startsWith(
            "S3 answered 500 InternalError at the"
                + " last of 2 attempts (before: Connection reset) for the upload of s3://b/k");
  }

  @Test
  @DisplayName("timeouts name the option that bounds them")
  void timeouts() {
    assertThat(translate(ApiCallAttemptTimeoutException.create(2000)))
        .hasMessageStartingWith(
            "no answer within AttemptTimeoutSeconds (2 s) for the upload of" + " s3://b/k");
    assertThat(translate(ApiCallTimeoutException.create(30_000)))
        .hasMessage(
            "the upload of s3://b/k took longer than CallTimeoutSeconds (30 s), retries"
                + " included");
  }

  @Test
  @DisplayName("an unreachable endpoint is named with the cause, other client failures too")
  void unreachableEndpoint() {
    SdkClientException refused =
        SdkClientException.create(
            "Unable to execute HTTP request", new ConnectException("Connection refused"));
    assertThat(translate(refused))
        .hasMessage(
            "cannot reach the S3 endpoint http://127.0.0.1:9"
                + " (the upload of s3://b/k): ConnectException: Connection refused; check the Endpoint"
                + " option, the network and proxies");

    SdkClientException other =
        SdkClientException.create(
            "Unable to unmarshall response", new IllegalStateException("bad XML"));
    assertThat(translate(other))
        .hasMessage(
            "the connection failed (IllegalStateException: bad"
                + " XML) for the upload of s3://b/k");
  }
}
