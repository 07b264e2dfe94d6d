package org.periodicbackups.destination.s3;

import java.io.IOException;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.aws.AwsErrors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK exceptions into {@link DestinationException}s that say what to fix: S3's own answers (a
 * missing key or bucket, the wrong region) here, the failures every AWS service shares in {@link
 * AwsErrors}. Messages name the bucket and key, never credentials.
 */
final class S3Errors {
  private final S3DestinationConfig config;
  private final AwsErrors aws;

  S3Errors(S3DestinationConfig config) {
    this.config = config;
    this.aws = new AwsErrors("S3", config.aws());
  }

  /** {@code operation} ("upload", "list", …) of {@code key} (null for bucket-wide) failed. */
  IOException translate(String operation, String name, String key, SdkException e) {
    String where = "s3://" + config.bucket() + "/" + (key == null ? config.prefix() : key);
    if (e instanceof S3Exception s3) {
      String code = AwsErrors.errorCode(s3);
      int status = s3.statusCode();
      if ("NoSuchKey".equals(code) || (status == 404 && name != null && code == null)) {
        return new BackupFileNotFoundException(config.description(), name);
      }
      if ("NoSuchBucket".equals(code)) {
        return new DestinationException(
            "bucket '"
                + config.bucket()
                + "' does not exist in"
                + " region "
                + config.region()
                + endpointNote()
                + ": create it, or check"
                + " S3BucketName and AwsRegionEndpoint ("
                + operation
                + " "
                + where
                + ")",
            e);
      }
      if (status == 301
          || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)) {
        return new DestinationException(
            "bucket '"
                + config.bucket()
                + "' is not in region "
                + config.region()
                + ": set AwsRegionEndpoint to the bucket's region ("
                + operation
                + " "
                + where
                + ")",
            e);
      }
    }
    return aws.translate(
        "the " + operation + " of " + where, "s3://" + config.bucket(), "the bucket policy", e);
  }

  private String endpointNote() {
    return config.endpoint() == null ? "" : " at " + config.endpoint();
  }
}
