package org.periodicbackups.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.periodicbackups.api.destination.DestinationException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
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

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource(
      delimiter = '|',
      value = {
        "InvalidAccessKeyId|403|the access key id is not known (AWS error InvalidAccessKeyId);"
            + " check Raven/AWSAccessKey (for a restore: --aws-access-key)",
        "UnrecognizedClientException|400|the access key id is not known (AWS error"
            + " UnrecognizedClientException); check Raven/AWSAccessKey",
        "SignatureDoesNotMatch|403|the secret access key does not match the access key id (AWS"
            + " error SignatureDoesNotMatch); check the secured setting Raven/AWSSecretKey (for a"
            + " restore: $PBK_AWS_SECRET_KEY or --aws-secret-key-file)",
        "InvalidSignatureException|403|the secret access key does not match the access key id"
            + " (AWS error InvalidSignatureException)",
        "ExpiredToken|400|the credentials have expired (AWS error ExpiredToken); renew them",
        "ExpiredTokenException|403|the credentials have expired (AWS error"
            + " ExpiredTokenException)",
        "AccessDenied|403|these credentials may not do this (AWS error AccessDenied); check the"
            + " IAM permissions of the credentials (Raven/AWSAccessKey) and the bucket policy",
        "AccessDeniedException|403|these credentials may not do this (AWS error"
            + " AccessDeniedException)",
      })
  @DisplayName("each kind of refused credentials says what is wrong and where to fix it")
  void refusedCredentials(String code, int status, String expected) {
    assertThat(translate(answer(status, code, 1)))
        .isInstanceOf(DestinationException.class)
        .hasMessageStartingWith("access denied to s3://b (the upload of s3://b/k): " + expected);
  }

  @Test
  @DisplayName("a 403 without an error code (a HEAD answer) names both settings and the policy")
  void forbiddenWithoutCode() {
    AwsServiceException head =
        AwsServiceException.builder().statusCode(403).requestId("req-1").build();

    assertThat(translate(head))
        .hasMessage(
            "access denied to s3://b (the upload of s3://b/k): AWS error HTTP 403: check"
                + " Raven/AWSAccessKey and Raven/AWSSecretKey, or the bucket policy and the IAM"
                + " permissions of these credentials");
  }

  @Test
  @DisplayName("a request signed for another region names the setting to change")
  void wrongRegion() {
    assertThat(translate(answer(400, "AuthorizationHeaderMalformed", 1)))
        .hasMessage(
            "s3://b is not in region us-east-1 (the upload of s3://b/k, AWS error"
                + " AuthorizationHeaderMalformed): set AwsRegionEndpoint (for a restore: --region)"
                + " to its region");
    AwsServiceException glacier =
        AwsServiceException.builder()
            .statusCode(403)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("InvalidSignatureException")
                    .errorMessage("Credential should be scoped to a valid region.")
                    .build())
            .build();
    assertThat(translate(glacier)).hasMessageStartingWith("s3://b is not in region us-east-1");
  }

  @Test
  @DisplayName("no credentials anywhere: one line saying where to give them, no SDK names")
  void noCredentials() {
    SdkClientException none =
        assertThrows(
            SdkClientException.class,
            () ->
                AwsCredentialsProviderChain.of(SystemPropertyCredentialsProvider.create())
                    .resolveCredentials());

    IOException e = translate(none);

    assertThat(e)
        .hasMessage(
            "no AWS credentials found for the upload of s3://b/k: "
                + AwsErrors.HOW_TO_GIVE_CREDENTIALS);
    assertThat(e.getMessage())
        .doesNotContain("\n")
        .doesNotContain("software.amazon")
        .doesNotContain("Provider")
        .contains("Raven/AWSAccessKey", "--aws-access-key", "$PBK_AWS_SECRET_KEY", "profile");
    assertThat(e.getCause()).as("the details stay for --verbose").isSameAs(none);
  }

  @Test
  @DisplayName("throttling says so and what to change")
  void throttling() {
    assertThat(translate(answer(400, "ThrottlingException", 3)))
        .hasMessageContaining("S3 answered 400 ThrottlingException")
        .hasMessageEndingWith(
            "; S3 is throttling these requests: raise MaxAttempts, set RetryMode adaptive, or"
                + " send fewer at once");
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
        .hasMessageStartingWith(
            "S3 answered 503 SlowDown 3 times for the upload"
                + " of s3://b/k: the message (request id req-1); gave up after 3 attempts"
                + " (MaxAttempts); S3 is throttling");
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
