package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.DestinationException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK exceptions into {@link DestinationException}s that say what to fix. Messages name the
 * bucket and key, never credentials (AWS error messages carry none either).
 */
final class S3Errors {
  private static final Pattern EARLIER_ATTEMPT = Pattern.compile("Request attempt \\d+ failure: ");
  private static final Pattern VARYING = Pattern.compile(
      "(Extended )?Request ID: [^,)]*|\\(SDK Attempt Count: \\d+\\)");
  private static final Set<String> ACCESS_CODES = Set.of(
      "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
      "ExpiredToken", "AllAccessDisabled", "InvalidSecurity");

  private final S3DestinationConfig config;

  S3Errors(S3DestinationConfig config) {
    this.config = config;
  }

  /** {@code operation} ("upload", "list", …) of {@code key} (null for bucket-wide) failed. */
  IOException translate(String operation, String name, String key, SdkException e) {
    String where = "s3://" + config.bucket() + "/" + (key == null ? config.prefix() : key);
    if (e instanceof S3Exception s3) {
      // A HEAD error has no body, hence no error code.
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      int status = s3.statusCode();
      if ("NoSuchKey".equals(code) || (status == 404 && name != null && code == null)) {
        return new BackupFileNotFoundException(config.description(), name);
      }
      if ("NoSuchBucket".equals(code)) {
        return new DestinationException("bucket '" + config.bucket() + "' does not exist in"
            + " region " + config.region() + endpointNote() + ": create it, or check"
            + " S3BucketName and AwsRegionEndpoint (" + operation + " " + where + ")", e);
      }
      if ((code != null && ACCESS_CODES.contains(code)) || status == 403) {
        return new DestinationException("access denied to s3://" + config.bucket() + " ("
            + operation + " " + where + ", AWS error " + code + "): check Raven/AWSAccessKey"
            + " and Raven/AWSSecretKey, or the bucket policy and IAM permissions of these"
            + " credentials", e);
      }
      if (status == 301 || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)) {
        return new DestinationException("bucket '" + config.bucket() + "' is not in region "
            + config.region() + ": set AwsRegionEndpoint to the bucket's region (" + operation
            + " " + where + ")", e);
      }
      String details = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage();
      return new DestinationException("S3 answered " + status + (code == null ? "" : " " + code)
          + times(e) + " for the " + operation + " of " + where
          + (details == null ? "" : ": " + details) + " (request id " + s3.requestId() + ")"
          + gaveUp(e), e);
    }
    if (e instanceof ApiCallAttemptTimeoutException) {
      return new DestinationException("no answer within AttemptTimeoutSeconds ("
          + config.attemptTimeout().toSeconds() + " s)" + times(e) + " for the " + operation
          + " of " + where + gaveUp(e), e);
    }
    if (e instanceof ApiCallTimeoutException) {
      return new DestinationException("the " + operation + " of " + where + " took longer than"
          + " CallTimeoutSeconds (" + config.callTimeout().toSeconds() + " s), retries included",
          e);
    }
    if (e instanceof SdkClientException && unreachable(e)) {
      return new DestinationException("cannot reach the S3 endpoint " + endpointText() + " ("
          + operation + " " + where + "): " + rootMessage(e) + "; check the Endpoint option,"
          + " the network and proxies", e);
    }
    return new DestinationException("the connection failed (" + rootMessage(e) + ")" + times(e)
        + " for the " + operation + " of " + where + gaveUp(e), e);
  }

  /**
   * " 3 times" when every attempt failed the same way, " at the last of 3 attempts (before:
   * …)" when not, "" for one attempt. The SDK keeps the earlier attempts' messages as
   * suppressed exceptions.
   */
  private static String times(SdkException e) {
    int attempts = attempts(e);
    if (attempts <= 1) {
      return "";
    }
    String last = normalized(e.getMessage());
    List<String> earlier = new ArrayList<>();
    for (Throwable suppressed : e.getSuppressed()) {
      if (suppressed.getMessage() != null
          && EARLIER_ATTEMPT.matcher(suppressed.getMessage()).lookingAt()) {
        earlier.add(normalized(suppressed.getMessage()));
      }
    }
    return earlier.stream().allMatch(last::equals) ? " " + attempts + " times"
        : " at the last of " + attempts + " attempts (before: " + String.join("; ", earlier) + ")";
  }

  private String gaveUp(SdkException e) {
    int attempts = attempts(e);
    return attempts <= 1 ? "" : "; gave up after " + attempts + " attempts"
        + (attempts >= config.maxAttempts() ? " (MaxAttempts)" : "");
  }

  private static int attempts(SdkException e) {
    int earlier = 0;
    for (Throwable suppressed : e.getSuppressed()) {
      if (suppressed.getMessage() != null
          && EARLIER_ATTEMPT.matcher(suppressed.getMessage()).lookingAt()) {
        earlier++;
      }
    }
    return Math.max(e.numAttempts() == null ? 1 : e.numAttempts(), earlier + 1);
  }

  /** An attempt's message without what differs between equal failures (ids, counts). */
  private static String normalized(String message) {
    String text = message == null ? "" : message;
    text = EARLIER_ATTEMPT.matcher(text).replaceFirst("");
    return VARYING.matcher(text).replaceAll("").strip();
  }

  private String endpointNote() {
    return config.endpoint() == null ? "" : " at " + config.endpoint();
  }

  private String endpointText() {
    return config.endpoint() == null
        ? "of region " + config.region() : config.endpoint().toString();
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
          || t.getClass().getName().endsWith("HttpHostConnectException")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
