package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.ObjectLocks;
import org.periodicbackups.aws.AwsErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 Object Lock for an {@link S3Destination} whose setup has {@code ObjectLockMode}: the bucket
 * check at setup, reading and extending retain-until dates (HeadObject, PutObjectRetention), and
 * deletes that remove every version of an expired object instead of leaving it behind a delete
 * marker (a bucket with Object Lock is versioned).
 */
final class S3Locks implements ObjectLocks {
  private static final Logger LOG = LoggerFactory.getLogger(S3Locks.class);

  private final S3Client s3;
  private final S3DestinationConfig config;
  private final S3Errors errors;

  S3Locks(S3Client s3, S3DestinationConfig config, S3Errors errors) {
    this.s3 = s3;
    this.config = config;
    this.errors = errors;
  }

  @Override
  public String mode() {
    return config.objectLock().mode().toString();
  }

  @Override
  public Duration period() {
    return config.objectLock().period();
  }

  @Override
  public Optional<Instant> lockedUntil(String name) throws IOException {
    String key = config.prefix() + name;
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(config.bucket()).key(key));
      return Optional.ofNullable(head.objectLockRetainUntilDate());
    } catch (SdkException e) {
      IOException translated = errors.translate("lock check", name, key, e);
      if (translated instanceof BackupFileNotFoundException
          || (e instanceof S3Exception s3e && s3e.statusCode() == 404)) {
        return Optional.empty();
      }
      throw translated;
    }
  }

  @Override
  public void extend(String name, Instant until) throws IOException {
    Optional<Instant> current = lockedUntil(name);
    if (current.isPresent() && !current.get().isBefore(until)) {
      return;
    }
    String key = config.prefix() + name;
    try {
      s3.putObjectRetention(
          b ->
              b.bucket(config.bucket())
                  .key(key)
                  .retention(
                      r -> r.mode(config.objectLock().mode().toString()).retainUntilDate(until)));
    } catch (SdkException e) {
      throw errors.translate("lock extension", name, key, e);
    }
  }

  /**
   * Refuses a bucket without Object Lock enabled, naming the fix; when the bucket cannot be asked
   * (no credentials yet, unreachable), returns a warning saying so.
   */
  List<String> checkBucket() {
    String problem;
    try {
      ObjectLockEnabled enabled =
          s3.getObjectLockConfiguration(b -> b.bucket(config.bucket()))
              .objectLockConfiguration()
              .objectLockEnabled();
      if (enabled == ObjectLockEnabled.ENABLED) {
        return List.of();
      }
      problem = "its Object Lock configuration does not say Enabled";
    } catch (S3Exception e) {
      if (!"ObjectLockConfigurationNotFoundError".equals(AwsErrors.errorCode(e))) {
        return cannotCheck(e);
      }
      problem = "Object Lock is not enabled on it";
    } catch (SdkException e) {
      return cannotCheck(e);
    }
    throw new ConfigurationException(
        "ObjectLockMode: "
            + config.objectLock().mode()
            + " asks to lock every file, but bucket '"
            + config.bucket()
            + "' cannot lock objects: "
            + problem
            + ". Create the bucket with Object Lock (aws s3api create-bucket"
            + " --object-lock-enabled-for-bucket …), or turn it on for this versioned bucket"
            + " (aws s3api put-object-lock-configuration --bucket "
            + config.bucket()
            + " --object-lock-configuration ObjectLockEnabled=Enabled); or remove ObjectLockMode"
            + " and ObjectLockDays from Destinations.s3");
  }

  private List<String> cannotCheck(SdkException e) {
    return List.of(
        "ObjectLockMode: could not check that bucket '"
            + config.bucket()
            + "' has Object Lock enabled ("
            + errors.translate("Object Lock check", null, null, e).getMessage()
            + "); until it has, every backup to it fails");
  }

  /**
   * Removes every version of {@code key}. When a version is still locked (a race with retention's
   * check, or a cleanup of a file just uploaded), a delete marker hides the name instead and the
   * locked version stays until its date: the name is gone from listings either way.
   */
  void deleteVersions(String name, String key) throws IOException {
    try {
      List<String> versions = new ArrayList<>();
      List<String> markers = new ArrayList<>();
      var pages = s3.listObjectVersionsPaginator(b -> b.bucket(config.bucket()).prefix(key));
      for (var page : pages) {
        page.versions().stream()
            .filter(v -> v.key().equals(key))
            .map(ObjectVersion::versionId)
            .forEach(versions::add);
        page.deleteMarkers().stream()
            .filter(m -> m.key().equals(key))
            .forEach(m -> markers.add(m.versionId()));
      }
      boolean locked = false;
      for (String version : versions) {
        try {
          s3.deleteObject(b -> b.bucket(config.bucket()).key(key).versionId(version));
        } catch (S3Exception e) {
          if (e.statusCode() != 403) {
            throw e;
          }
          locked = true;
        }
      }
      if (locked) {
        s3.deleteObject(b -> b.bucket(config.bucket()).key(key));
        LOG.info(
            "s3://{}/{} is hidden by a delete marker: a version of it is still under Object Lock",
            config.bucket(),
            key);
        return;
      }
      for (String marker : markers) {
        s3.deleteObject(b -> b.bucket(config.bucket()).key(key).versionId(marker));
      }
    } catch (SdkException e) {
      throw errors.translate("delete", name, key, e);
    }
  }
}
