package org.periodicbackups.aws;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.periodicbackups.api.destination.DestinationException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK failures that every AWS service shares into {@link DestinationException}s that say
 * what to fix: refused credentials, an unreachable endpoint, timeouts, and other answers with how
 * many attempts were made. The destinations translate their own service's answers first (a missing
 * bucket or vault) and hand the rest to {@link #translate}. Messages name the resource and the
 * operation, never credentials (AWS error messages carry none either).
 */
public final class AwsErrors {
  private static final Pattern EARLIER_ATTEMPT = Pattern.compile("Request attempt \\d+ failure: ");
  private static final Pattern VARYING =
      Pattern.compile("(Extended )?Request ID: [^,)]*|\\(SDK Attempt Count: \\d+\\)");

  /** What to do when no credentials were found, for every place they can come from. */
  static final String HOW_TO_GIVE_CREDENTIALS =
      "set the database setting "
          + AwsClientConfig.ACCESS_KEY_SETTING
          + " and the secured setting "
          + AwsClientConfig.SECRET_KEY_SETTING
          + " (pbk settings set / set-secured), for a restore --aws-access-key with"
          + " $PBK_AWS_SECRET_KEY or --aws-secret-key-file, or give the AWS default chain its"
          + " credentials (environment AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in"
          + " ~/.aws, an instance role)";

  /** Error codes of S3 and of the JSON services (Glacier), by the failure they mean. */
  private static final Set<String> UNKNOWN_KEY_CODES =
      Set.of("InvalidAccessKeyId", "UnrecognizedClientException", "InvalidClientTokenId");

  private static final Set<String> WRONG_SECRET_CODES =
      Set.of("SignatureDoesNotMatch", "InvalidSignatureException");
  private static final Set<String> EXPIRED_CODES =
      Set.of("ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired", "RequestExpired");
  private static final Set<String> DENIED_CODES =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "AllAccessDisabled",
          "InvalidToken",
          "InvalidSecurity",
          "MissingAuthenticationTokenException");
  private static final Set<String> THROTTLING_CODES =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "RequestThrottled");

  private final String service;
  private final AwsClientConfig config;

  /** Errors of {@code service} ("S3", "Glacier") reached with {@code config}. */
  public AwsErrors(String service, AwsClientConfig config) {
    this.service = requireNonNull(service, "service is null");
    this.config = requireNonNull(config, "config is null");
  }

  /**
   * {@code what} ("the upload of s3://bucket/key") failed with {@code e}.
   *
   * @param resource the resource whose policy may refuse access ("s3://bucket", "vault 'x'")
   * @param policy what besides the credentials may refuse it ("the bucket policy")
   */
  public IOException translate(String what, String resource, String policy, SdkException e) {
    if (e instanceof AwsServiceException answer) {
      if (wrongRegion(answer)) {
        return new DestinationException(
            resource
                + " is not in region "
                + config.region()
                + " ("
                + what
                + ", AWS error "
                + errorCode(answer)
                + "): set AwsRegionEndpoint (for a restore: --region) to its region",
            e);
      }
      String refused = refusedCredentials(answer, policy);
      if (refused != null) {
        return new DestinationException(
            "access denied to " + resource + " (" + what + "): " + refused, e);
      }
      String code = errorCode(answer);
      String details =
          answer.awsErrorDetails() == null ? null : answer.awsErrorDetails().errorMessage();
      return new DestinationException(
          service
              + " answered "
              + answer.statusCode()
              + (code == null ? "" : " " + code)
              + times(e)
              + " for "
              + what
              + (details == null ? "" : ": " + details)
              + " (request id "
              + answer.requestId()
              + ")"
              + gaveUp(e)
              + (is(code, THROTTLING_CODES) || answer.statusCode() == 429
                  ? "; "
                      + service
                      + " is throttling these requests: raise MaxAttempts, set"
                      + " RetryMode adaptive, or send fewer at once"
                  : ""),
          e);
    }
    if (e instanceof SdkClientException && noCredentials(e)) {
      return new DestinationException(
          "no AWS credentials found for " + what + ": " + HOW_TO_GIVE_CREDENTIALS, e);
    }
    if (e instanceof ApiCallAttemptTimeoutException) {
      return new DestinationException(
          "no answer within AttemptTimeoutSeconds ("
              + config.attemptTimeout().toSeconds()
              + " s)"
              + times(e)
              + " for "
              + what
              + gaveUp(e),
          e);
    }
    if (e instanceof ApiCallTimeoutException) {
      return new DestinationException(
          what
              + " took longer than CallTimeoutSeconds ("
              + config.callTimeout().toSeconds()
              + " s), retries included",
          e);
    }
    if (e instanceof SdkClientException && unreachable(e)) {
      return new DestinationException(
          "cannot reach the "
              + service
              + " endpoint "
              + config.endpointText()
              + " ("
              + what
              + "): "
              + rootMessage(e)
              + "; check the Endpoint"
              + " option, the network and proxies",
          e);
    }
    return new DestinationException(
        "the connection failed (" + rootMessage(e) + ")" + times(e) + " for " + what + gaveUp(e),
        e);
  }

  /**
   * What refused credentials mean and how to fix them, by error code; null when {@code answer} is
   * not a refusal of the credentials.
   */
  private static String refusedCredentials(AwsServiceException answer, String policy) {
    String code = errorCode(answer);
    String error = "AWS error " + (code != null ? code : "HTTP " + answer.statusCode());
    if (is(code, UNKNOWN_KEY_CODES)) {
      return "the access key id is not known ("
          + error
          + "); check "
          + AwsClientConfig.ACCESS_KEY_SETTING
          + " (for a restore: --aws-access-key)";
    }
    if (is(code, WRONG_SECRET_CODES)) {
      return "the secret access key does not match the access key id ("
          + error
          + "); check the secured setting "
          + AwsClientConfig.SECRET_KEY_SETTING
          + " (for a restore: $PBK_AWS_SECRET_KEY or --aws-secret-key-file)";
    }
    if (is(code, EXPIRED_CODES)) {
      return "the credentials have expired ("
          + error
          + "); renew them (a new session token, aws sso login) or use long-term keys";
    }
    if (is(code, DENIED_CODES)) {
      return "these credentials may not do this ("
          + error
          + "); check the IAM permissions of the credentials ("
          + AwsClientConfig.ACCESS_KEY_SETTING
          + ") and "
          + policy;
    }
    if (answer.statusCode() == 403) {
      return error
          + ": check "
          + AwsClientConfig.ACCESS_KEY_SETTING
          + " and "
          + AwsClientConfig.SECRET_KEY_SETTING
          + ", or "
          + policy
          + " and the IAM permissions of these credentials";
    }
    return null;
  }

  /** Whether the service says the request was signed for another region than the resource's. */
  private static boolean wrongRegion(AwsServiceException answer) {
    String code = errorCode(answer);
    String message =
        answer.awsErrorDetails() == null ? null : answer.awsErrorDetails().errorMessage();
    return "AuthorizationHeaderMalformed".equals(code)
        || "PermanentRedirect".equals(code)
        || (message != null
            && (message.contains("scoped to a valid region") || message.contains("the region '")));
  }

  /** Whether {@code code} (null for an answer without one) is one of {@code codes}. */
  private static boolean is(String code, Set<String> codes) {
    return code != null && codes.contains(code);
  }

  /** Whether the SDK found no credentials anywhere in its chain. */
  static boolean noCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.startsWith("Unable to load credentials")) {
        return true;
      }
    }
    return false;
  }

  /** The service's error code of {@code e}, or null (a HEAD answer has no body, hence none). */
  public static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  /**
   * How many attempts {@code e} took: the SDK's count, or one more than the earlier attempts'
   * messages it keeps as suppressed exceptions.
   */
  public static int attempts(SdkException e) {
    int earlier = 0;
    for (Throwable suppressed : e.getSuppressed()) {
      if (isEarlierAttempt(suppressed)) {
        earlier++;
      }
    }
    return Math.max(e.numAttempts() == null ? 1 : e.numAttempts(), earlier + 1);
  }

  /** The message of the innermost cause, with its type: {@code ConnectException: refused}. */
  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** Whether {@code e} means that no connection to the endpoint could be made. */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException
          || t.getClass().getName().endsWith("HttpHostConnectException")) {
        return true;
      }
    }
    return false;
  }

  /**
   * " 3 times" when every attempt failed the same way, " at the last of 3 attempts (before: …)"
   * when not, "" for one attempt.
   */
  private static String times(SdkException e) {
    int attempts = attempts(e);
    if (attempts <= 1) {
      return "";
    }
    String last = normalized(e.getMessage());
    List<String> earlier = new ArrayList<>();
    for (Throwable suppressed : e.getSuppressed()) {
      if (isEarlierAttempt(suppressed)) {
        earlier.add(normalized(suppressed.getMessage()));
      }
    }
    return earlier.stream().allMatch(last::equals)
        ? " " + attempts + " times"
        : " at the last of " + attempts + " attempts (before: " + String.join("; ", earlier) + ")";
  }

  private String gaveUp(SdkException e) {
    int attempts = attempts(e);
    return attempts <= 1
        ? ""
        : "; gave up after "
            + attempts
            + " attempts"
            + (attempts >= config.maxAttempts() ? " (MaxAttempts)" : "");
  }

  private static boolean isEarlierAttempt(Throwable suppressed) {
    return suppressed.getMessage() != null
        && EARLIER_ATTEMPT.matcher(suppressed.getMessage()).lookingAt();
  }

  /** An attempt's message without what differs between equal failures (ids, counts). */
  private static String normalized(String message) {
    String text = message == null ? "" : message;
    text = EARLIER_ATTEMPT.matcher(text).replaceFirst("");
    return VARYING.matcher(text).replaceAll("").strip();
  }
}
