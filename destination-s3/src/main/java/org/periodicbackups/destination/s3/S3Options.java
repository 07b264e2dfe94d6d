package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationOptions;
import org.periodicbackups.aws.AwsClientConfig;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Reads the {@code Destinations.s3} options of the setup document, which hold what the setup record
 * has no field for: the shared AWS client options ({@link AwsClientConfig#OPTIONS}) and S3's own.
 * Every problem is reported at once; a misspelt key gets the closest known one as a hint.
 */
public final class S3Options {
  /** S3's own option keys; with {@link AwsClientConfig#OPTIONS} the keys this provider knows. */
  private static final List<String> OWN_KEYS =
      List.of(
          "PathStyle",
          "StorageClass",
          "FullStorageClass",
          "IncrementalStorageClass",
          "ObjectLockMode",
          "ObjectLockDays",
          "ServerSideEncryption",
          "KmsKeyId",
          "PartSizeMiB",
          "Parallelism",
          "RestoreWaitMinutes",
          "RestorePollSeconds",
          "RestoreDays",
          "RestoreTier",
          "ConditionalWrites");

  /** The option keys this provider understands. */
  public static final List<String> KEYS = AwsClientConfig.optionsWith(OWN_KEYS);

  private S3Options() {}

  /**
   * Applies the options, region and credentials of {@code context} to {@code builder}.
   *
   * @throws org.periodicbackups.api.ConfigurationException listing every invalid option
   */
  public static void apply(DestinationContext context, S3Destination.Builder builder)
      throws IOException {
    DestinationOptions options =
        DestinationOptions.of(context.setup(), BuiltInDestinations.S3, KEYS);
    builder.aws(AwsClientConfig.read(context, options));
    // Path-style is what S3-compatible stores expect; on AWS it stays opt-in.
    builder.pathStyle(options.flag("PathStyle", options.text("Endpoint").isPresent()));
    builder.conditionalWrites(options.flag("ConditionalWrites", true));
    storageClass(options, "StorageClass").ifPresent(builder::storageClass);
    builder.storageClasses(
        storageClass(options, "FullStorageClass").orElse(null),
        storageClass(options, "IncrementalStorageClass").orElse(null));
    objectLock(options).ifPresent(builder::objectLock);
    ServerSideEncryption sse =
        options
            .parse(
                "ServerSideEncryption",
                "AES256 (SSE-S3) or aws:kms (SSE-KMS)",
                v -> {
                  ServerSideEncryption value =
                      v.equalsIgnoreCase("AES256")
                          ? ServerSideEncryption.AES256
                          : ServerSideEncryption.fromValue(v.toLowerCase(Locale.ROOT));
                  if (value == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
                    throw new IllegalArgumentException("unknown");
                  }
                  return value;
                })
            .orElse(null);
    builder.serverSideEncryption(sse, options.text("KmsKeyId").orElse(null));
    options
        .parse(
            "PartSizeMiB",
            "a whole number of MiB",
            v -> Math.multiplyExact(Long.parseLong(v), 1L << 20))
        .ifPresent(builder::partSizeBytes);
    options
        .parse("Parallelism", "a whole number", Integer::parseInt)
        .ifPresent(builder::parallelism);
    builder.restoreWait(
        options
            .parse(
                "RestoreWaitMinutes",
                "a whole number of minutes",
                v -> Duration.ofMinutes(Long.parseLong(v)))
            .orElse(Duration.ofHours(6)),
        options
            .parse(
                "RestorePollSeconds",
                "a whole number of seconds",
                v -> Duration.ofSeconds(Long.parseLong(v)))
            .orElse(Duration.ofMinutes(1)));
    int days = options.parse("RestoreDays", "a whole number of days", Integer::parseInt).orElse(1);
    Tier tier =
        options
            .parse(
                "RestoreTier",
                "Standard, Bulk or Expedited",
                v -> {
                  Tier value =
                      Tier.fromValue(
                          v.substring(0, 1).toUpperCase(Locale.ROOT)
                              + v.substring(1).toLowerCase(Locale.ROOT));
                  if (value == Tier.UNKNOWN_TO_SDK_VERSION) {
                    throw new IllegalArgumentException("unknown");
                  }
                  return value;
                })
            .orElse(Tier.STANDARD);
    builder.restoreRequest(days, tier);
    options.check();
  }

  private static Optional<StorageClass> storageClass(DestinationOptions options, String key) {
    return options.parse(
        key,
        "one of " + StorageClass.knownValues(),
        v -> {
          StorageClass value = StorageClass.fromValue(v.toUpperCase(Locale.ROOT));
          if (value == StorageClass.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("unknown");
          }
          return value;
        });
  }

  /** {@code ObjectLockMode} and {@code ObjectLockDays}, which go together. */
  private static Optional<S3ObjectLock> objectLock(DestinationOptions options) {
    Optional<ObjectLockMode> mode =
        options.parse(
            "ObjectLockMode",
            "GOVERNANCE or COMPLIANCE",
            v -> {
              ObjectLockMode value = ObjectLockMode.fromValue(v.toUpperCase(Locale.ROOT));
              if (value == ObjectLockMode.UNKNOWN_TO_SDK_VERSION) {
                throw new IllegalArgumentException("unknown");
              }
              return value;
            });
    Optional<Integer> days =
        options.parse("ObjectLockDays", "a whole number of days", Integer::parseInt);
    if (mode.isPresent() && options.text("ObjectLockDays").isEmpty()) {
      options.problem(
          "ObjectLockDays", "missing; ObjectLockMode needs the number of days files stay locked");
    } else if (days.isPresent() && mode.isEmpty() && options.text("ObjectLockMode").isEmpty()) {
      options.problem("ObjectLockMode", "missing; ObjectLockDays needs GOVERNANCE or COMPLIANCE");
    }
    return mode.isPresent() && days.isPresent()
        ? Optional.of(new S3ObjectLock(mode.get(), days.get()))
        : Optional.empty();
  }
}
