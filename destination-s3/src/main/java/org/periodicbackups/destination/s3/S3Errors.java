package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.DestinationException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK exceptions into {@link DestinationException}s that say what to fix. Messages name the
 * bucket and key, never credentials (AWS error messages carry none either).
 */
final class S3Errors {
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
      if (ACCESS_CODES.contains(code) || status == 403) {
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
      return new DestinationException(operation + " " + where + " failed: HTTP " + status
          + (code == null ? "" : " " + code) + ": " + s3.awsErrorDetails().errorMessage()
          + " (request id " + s3.requestId() + ")", e);
    }
    if (e instanceof SdkClientException && unreachable(e)) {
      return new DestinationException("cannot reach the S3 endpoint " + endpointText() + " ("
          + operation + " " + where + "): " + rootMessage(e) + "; check the Endpoint option,"
          + " the network and proxies", e);
    }
    return new DestinationException(operation + " " + where + " failed: " + e.getMessage(), e);
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
