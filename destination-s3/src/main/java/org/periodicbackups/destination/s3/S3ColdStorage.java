package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.ColdStorage;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.aws.BulkThaw;
import org.periodicbackups.aws.Sleeper;
import org.periodicbackups.destination.s3.ArchiveRestorer.RestoreStatus;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The archive storage classes of an S3 bucket as {@link ColdStorage}: one listing gives each
 * object's class, a HeadObject per archived object its restore state ({@code x-amz-restore}), and
 * {@link BulkThaw} requests every restore at once. Objects moved to an archive class by a lifecycle
 * rule are seen the same way, whatever the setup's own storage class.
 */
final class S3ColdStorage implements ColdStorage {
  private static final Pattern EXPIRY = Pattern.compile("expiry-date=\"([^\"]+)\"");

  private final S3Client s3;
  private final S3DestinationConfig config;
  private final S3Errors errors;
  private final ArchiveRestorer restorer;
  private final Sleeper sleeper;
  private final WaitListener waits;

  S3ColdStorage(
      S3Client s3,
      S3DestinationConfig config,
      S3Errors errors,
      ArchiveRestorer restorer,
      Sleeper sleeper,
      WaitListener waits) {
    this.s3 = s3;
    this.config = config;
    this.errors = errors;
    this.restorer = restorer;
    this.sleeper = sleeper;
    this.waits = waits;
  }

  @Override
  public String tier() {
    return config.restoreTier().toString();
  }

  @Override
  public List<FileState> states(List<String> names) throws IOException {
    Map<String, S3Object> listed = list(names);
    List<FileState> states = new ArrayList<>();
    for (String name : names) {
      S3Object object = listed.get(name);
      if (object == null) {
        throw new BackupFileNotFoundException(config.description(), name);
      }
      String storageClass =
          object.storageClassAsString() == null ? "STANDARD" : object.storageClassAsString();
      if (!S3DestinationConfig.isArchive(StorageClass.fromValue(storageClass))) {
        states.add(new FileState(name, object.size(), storageClass, Availability.READABLE, null));
        continue;
      }
      HeadObjectResponse head = restorer.head(name, config.prefix() + name);
      states.add(
          new FileState(
              name,
              object.size(),
              storageClass,
              availability(head.restore()),
              expiry(head.restore())));
    }
    return states;
  }

  @Override
  public void thaw(List<String> names) throws IOException {
    List<String> archived = new ArrayList<>();
    String storageClass = StorageClass.GLACIER.toString();
    for (FileState state : states(names)) {
      if (state.availability() != Availability.READABLE) {
        archived.add(state.name());
        if (StorageClass.DEEP_ARCHIVE.toString().equals(state.storageClass())) {
          storageClass = state.storageClass(); // the slowest sets the expected wait
        }
      }
    }
    if (archived.isEmpty()) {
      return;
    }
    BulkThaw.thaw(
        archived,
        new BulkThaw.Store() {
          @Override
          public Availability availability(String name) throws IOException {
            return S3ColdStorage.availability(
                restorer.head(name, config.prefix() + name).restore());
          }

          @Override
          public void request(String name) throws IOException {
            restorer.requestRestore(name, config.prefix() + name);
          }
        },
        new BulkThaw.Waiting(
            config.description(),
            tier(),
            ArchiveRestorer.typicalTime(storageClass, config.restoreTier()),
            config.restorePoll(),
            config.restoreWait(),
            "Destinations.s3.RestoreWaitMinutes"),
        sleeper,
        waits);
  }

  /** The listed objects of {@code names}, from one listing of their longest common prefix. */
  private Map<String, S3Object> list(List<String> names) throws IOException {
    String common = names.isEmpty() ? "" : names.get(0);
    for (String name : names) {
      int i = 0;
      while (i < common.length() && i < name.length() && common.charAt(i) == name.charAt(i)) {
        i++;
      }
      common = common.substring(0, i);
    }
    String prefix = config.prefix() + common;
    Map<String, S3Object> listed = new HashMap<>();
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(prefix)).contents()) {
        listed.put(object.key().substring(config.prefix().length()), object);
      }
    } catch (SdkException e) {
      throw errors.translate("list", null, prefix, e);
    }
    return listed;
  }

  private static Availability availability(String restoreHeader) {
    return switch (RestoreStatus.of(restoreHeader)) {
      case DONE -> Availability.RESTORED;
      case ONGOING -> Availability.RESTORING;
      case NONE -> Availability.MUST_REQUEST;
    };
  }

  /** The {@code expiry-date} of a finished restore, an RFC 1123 date; null when absent. */
  static Instant expiry(String restoreHeader) {
    if (restoreHeader == null) {
      return null;
    }
    Matcher m = EXPIRY.matcher(restoreHeader);
    if (!m.find()) {
      return null;
    }
    try {
      return ZonedDateTime.parse(m.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
