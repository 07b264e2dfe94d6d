package org.periodicbackups.destination.s3;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.aws.AwsClientConfig;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Where and how an {@link S3Destination} stores files. Its {@link #toString()} shows where the
 * credentials come from, never their values, so it can be logged.
 *
 * @param bucket the bucket name
 * @param prefix the key prefix: empty, or without a leading slash and with exactly one trailing
 *     slash (see {@link #normalizePrefix(String)})
 * @param aws region, endpoint override (S3-compatible stores), credentials, retries and timeouts
 * @param pathStyle whether to address the bucket in the path instead of the host name
 * @param storageClass the storage class of uploaded objects, or null for the bucket's default
 * @param serverSideEncryption {@code AES256} (SSE-S3), {@code aws:kms} (SSE-KMS), or null
 * @param kmsKeyId the KMS key for SSE-KMS, or null for the account's default key
 * @param partSizeBytes multipart part size; files larger than this are uploaded in parts
 * @param parallelism how many parts are uploaded at once
 * @param restoreWait how long {@code open} waits for an archived object to be restored
 * @param restorePoll how often it checks the restore while waiting
 * @param restoreDays how many days a restored copy stays readable
 * @param restoreTier the retrieval tier of restore requests
 * @param fullStorageClass the storage class of full backups (and snapshot files), or null for
 *     {@code storageClass}
 * @param incrementalStorageClass the storage class of incrementals (compacted files included), or
 *     null for {@code storageClass}
 * @param objectLock the Object Lock of every uploaded object, or null for none
 */
public record S3DestinationConfig(
    String bucket,
    String prefix,
    AwsClientConfig aws,
    boolean pathStyle,
    StorageClass storageClass,
    ServerSideEncryption serverSideEncryption,
    String kmsKeyId,
    long partSizeBytes,
    int parallelism,
    Duration restoreWait,
    Duration restorePoll,
    int restoreDays,
    Tier restoreTier,
    StorageClass fullStorageClass,
    StorageClass incrementalStorageClass,
    S3ObjectLock objectLock) {

  /** S3 refuses parts smaller than 5 MiB (except the last one). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  /** S3 refuses parts larger than 5 GiB. */
  public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

  /** The default part size, 16 MiB. */
  public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

  /** Storage classes whose objects must be restored before they can be read. */
  public static final Set<StorageClass> ARCHIVE_CLASSES =
      Set.of(StorageClass.GLACIER, StorageClass.DEEP_ARCHIVE);

  /** Normalises the prefix and reports every invalid value at once. */
  public S3DestinationConfig {
    prefix = normalizePrefix(prefix);
    List<String> problems = new ArrayList<>();
    if (bucket == null || bucket.isBlank()) {
      problems.add("S3BucketName: the bucket name is missing");
    } else if (bucket.contains("/") || !bucket.equals(bucket.strip())) {
      problems.add("S3BucketName: '" + bucket + "' is not a bucket name (no '/' or spaces)");
    }
    if (!prefix.isEmpty() && !StoredNames.isSafe(prefix.substring(0, prefix.length() - 1))) {
      problems.add(
          "S3RemoteFolderName: '"
              + prefix
              + "' is not a safe key prefix (no empty, '.'"
              + " or '..' segment, no backslash, ':' or control character)");
    }
    requireNonNull(aws, "aws is null");
    if (kmsKeyId != null && serverSideEncryption != ServerSideEncryption.AWS_KMS) {
      problems.add("KmsKeyId: a KMS key is given but ServerSideEncryption is not aws:kms");
    }
    if (partSizeBytes < MIN_PART_SIZE || partSizeBytes > MAX_PART_SIZE) {
      problems.add(
          "PartSizeMiB: "
              + partSizeBytes / (1024 * 1024)
              + " MiB is not allowed; S3"
              + " parts must be between 5 MiB and 5 GiB");
    }
    if (parallelism < 1 || parallelism > 64) {
      problems.add("Parallelism: " + parallelism + " must be between 1 and 64");
    }
    requireNonNull(restoreWait, "restoreWait is null");
    requireNonNull(restorePoll, "restorePoll is null");
    requireNonNull(restoreTier, "restoreTier is null");
    if (restoreWait.isNegative()) {
      problems.add("RestoreWaitMinutes: " + restoreWait.toMinutes() + " must not be negative");
    }
    if (restorePoll.isNegative() || restorePoll.isZero()) {
      problems.add("RestorePollSeconds: " + restorePoll.toSeconds() + " must be positive");
    }
    if (restoreDays < 1) {
      problems.add("RestoreDays: " + restoreDays + " must be at least 1");
    }
    if (objectLock != null
        && (objectLock.days() < 1 || objectLock.days() > S3ObjectLock.MAX_DAYS)) {
      problems.add(
          "ObjectLockDays: "
              + objectLock.days()
              + " must be between 1 and "
              + S3ObjectLock.MAX_DAYS
              + " (S3's longest retention)");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /**
   * {@code "/a/b"}, {@code "a/b/"} and {@code "a/b//"} all become {@code "a/b/"}; null and blank
   * become {@code ""} (the bucket's root).
   */
  public static String normalizePrefix(String prefix) {
    if (prefix == null) {
      return "";
    }
    String stripped = prefix.strip();
    int start = 0;
    int end = stripped.length();
    while (start < end && stripped.charAt(start) == '/') {
      start++;
    }
    while (end > start && stripped.charAt(end - 1) == '/') {
      end--;
    }
    return start == end ? "" : stripped.substring(start, end) + "/";
  }

  /** Whether objects of some type are uploaded to a class that needs a restore before reading. */
  public boolean archiveStorage() {
    return isArchive(storageClassFor(BackupType.FULL))
        || isArchive(storageClassFor(BackupType.INCREMENTAL));
  }

  /** Whether objects of {@code storageClass} must be restored before reading; false for null. */
  public static boolean isArchive(StorageClass storageClass) {
    return storageClass != null && ARCHIVE_CLASSES.contains(storageClass);
  }

  /**
   * The storage class of an uploaded file of {@code type}, or null for the bucket's default; a file
   * uploaded without metadata (no type) gets {@code storageClass}.
   */
  public StorageClass storageClassFor(BackupType type) {
    StorageClass own =
        type == BackupType.FULL
            ? fullStorageClass
            : type == BackupType.INCREMENTAL ? incrementalStorageClass : null;
    return own != null ? own : storageClass;
  }

  /** {@code GLACIER_IR}, or {@code full GLACIER_IR, incremental STANDARD} when they differ. */
  public String storageClassDescription() {
    StorageClass full = storageClassFor(BackupType.FULL);
    StorageClass incremental = storageClassFor(BackupType.INCREMENTAL);
    if (full == incremental) {
      return full == null ? "the bucket's default" : full.toString();
    }
    return "full "
        + (full == null ? "the bucket's default" : full)
        + ", incremental "
        + (incremental == null ? "the bucket's default" : incremental);
  }

  /** {@code s3://bucket/prefix}, followed by the endpoint when it is overridden. */
  public String description() {
    return "s3://" + bucket + "/" + prefix + (endpoint() == null ? "" : " at " + endpoint());
  }

  /** The AWS region, such as {@code us-east-1}. */
  public String region() {
    return aws.region();
  }

  /** The endpoint override for S3-compatible stores, or null for AWS. */
  public URI endpoint() {
    return aws.endpoint();
  }

  /** Attempts per request. */
  public int maxAttempts() {
    return aws.maxAttempts();
  }
}
