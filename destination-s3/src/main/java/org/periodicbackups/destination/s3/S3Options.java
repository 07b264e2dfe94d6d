package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.ClosestName;
import org.periodicbackups.api.destination.DestinationContext;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Reads the {@code Destinations.s3} options of the setup document, which hold what the setup
 * record has no field for yet. Every problem is reported at once; a misspelt key gets the closest
 * known one as a hint.
 */
public final class S3Options {
  /** The database setting with the access key id. */
  public static final String ACCESS_KEY_SETTING = "Raven/AWSAccessKey";
  /** The (secured) database setting with the secret access key. */
  public static final String SECRET_KEY_SETTING = "Raven/AWSSecretKey";
  /** The option keys this provider understands. */
  public static final List<String> KEYS = List.of("Endpoint", "PathStyle", "StorageClass",
      "ServerSideEncryption", "KmsKeyId", "PartSizeMiB", "Parallelism", "MaxAttempts",
      "RetryMode", "AttemptTimeoutSeconds", "CallTimeoutSeconds", "RestoreWaitMinutes",
      "RestorePollSeconds", "RestoreDays", "RestoreTier");

  private S3Options() {}

  /** Applies {@code options} to {@code builder}; throws listing every invalid option. */
  public static void apply(Map<String, String> options, S3Destination.Builder builder) {
    List<String> problems = new ArrayList<>();
    for (String key : options.keySet()) {
      if (!KEYS.contains(key)) {
        problems.add("Destinations.s3." + key + ": unknown option; "
            + ClosestName.of(key, KEYS).map(k -> "did you mean " + k + "? Known: ")
                .orElse("known: ") + KEYS);
      }
    }
    String endpoint = options.get("Endpoint");
    // Path-style is what S3-compatible stores expect; on AWS it stays opt-in.
    String pathStyleText =
        options.getOrDefault("PathStyle", endpoint == null ? "false" : "true").strip();
    if (!pathStyleText.equalsIgnoreCase("true") && !pathStyleText.equalsIgnoreCase("false")) {
      problems.add("Destinations.s3.PathStyle: '" + pathStyleText + "' is not valid: use true"
          + " or false");
    }
    boolean pathStyle = Boolean.parseBoolean(pathStyleText);
    try {
      builder.endpoint(endpoint == null ? null : new URI(endpoint.strip()), pathStyle);
    } catch (URISyntaxException e) {
      problems.add("Destinations.s3.Endpoint: '" + endpoint + "' is not a URL: "
          + e.getMessage());
    }
    parse(options, "StorageClass", problems, v -> {
      StorageClass value = StorageClass.fromValue(v.toUpperCase(Locale.ROOT));
      if (value == StorageClass.UNKNOWN_TO_SDK_VERSION) {
        throw new IllegalArgumentException("known: " + StorageClass.knownValues());
      }
      builder.storageClass(value);
    });
    ServerSideEncryption[] sse = {null};
    parse(options, "ServerSideEncryption", problems, v -> {
      sse[0] = v.equalsIgnoreCase("AES256") ? ServerSideEncryption.AES256
          : ServerSideEncryption.fromValue(v.toLowerCase(Locale.ROOT));
      if (sse[0] == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
        throw new IllegalArgumentException("use AES256 (SSE-S3) or aws:kms (SSE-KMS)");
      }
    });
    String kmsKeyId = options.get("KmsKeyId");
    builder.serverSideEncryption(sse[0], kmsKeyId == null ? null : kmsKeyId.strip());
    parse(options, "PartSizeMiB", problems,
        v -> builder.partSizeBytes(Long.parseLong(v) * 1024 * 1024));
    parse(options, "Parallelism", problems, v -> builder.parallelism(Integer.parseInt(v)));
    parse(options, "MaxAttempts", problems, v -> builder.maxAttempts(Integer.parseInt(v)));
    parse(options, "RetryMode", problems, v -> {
      try {
        builder.retryMode(S3DestinationConfig.RetryMode.valueOf(v.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("use standard or adaptive");
      }
    });
    long attemptSeconds = number(options, "AttemptTimeoutSeconds",
        S3DestinationConfig.DEFAULT_ATTEMPT_TIMEOUT.toSeconds(), problems);
    long callSeconds = number(options, "CallTimeoutSeconds",
        S3DestinationConfig.DEFAULT_CALL_TIMEOUT.toSeconds(), problems);
    builder.timeouts(Duration.ofSeconds(attemptSeconds), Duration.ofSeconds(callSeconds));
    long waitMinutes = number(options, "RestoreWaitMinutes", 360, problems);
    long pollSeconds = number(options, "RestorePollSeconds", 60, problems);
    builder.restoreWait(Duration.ofMinutes(waitMinutes), Duration.ofSeconds(pollSeconds));
    long days = number(options, "RestoreDays", 1, problems);
    parse(options, "RestoreTier", problems, v -> {
      Tier tier = Tier.fromValue(v.substring(0, 1).toUpperCase(Locale.ROOT)
          + v.substring(1).toLowerCase(Locale.ROOT));
      if (tier == Tier.UNKNOWN_TO_SDK_VERSION) {
        throw new IllegalArgumentException("use Standard, Bulk or Expedited");
      }
      builder.restoreRequest((int) days, tier);
    });
    if (!options.containsKey("RestoreTier")) {
      builder.restoreRequest((int) days, Tier.STANDARD);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /**
   * Uses {@code Raven/AWSAccessKey} and {@code Raven/AWSSecretKey} when both are set; none means
   * the default credentials chain; only one is an error.
   */
  public static void applyCredentials(DestinationContext context, S3Destination.Builder builder)
      throws IOException {
    Optional<String> accessKey = context.setting(ACCESS_KEY_SETTING).filter(s -> !s.isBlank());
    Optional<String> secretKey = context.setting(SECRET_KEY_SETTING).filter(s -> !s.isBlank());
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new ConfigurationException("database " + context.databaseName() + ": "
          + (accessKey.isPresent() ? ACCESS_KEY_SETTING : SECRET_KEY_SETTING) + " is set but "
          + (accessKey.isPresent() ? SECRET_KEY_SETTING : ACCESS_KEY_SETTING) + " is not; set"
          + " both, or neither to use the AWS default credentials chain");
    }
    if (accessKey.isPresent()) {
      builder.credentials(accessKey.get().strip(), secretKey.get().strip());
    }
  }

  private static void parse(Map<String, String> options, String key, List<String> problems,
      Consumer<String> apply) {
    String value = options.get(key);
    if (value == null) {
      return;
    }
    try {
      apply.accept(value.strip());
    } catch (RuntimeException e) {
      problems.add("Destinations.s3." + key + ": '" + value + "' is not valid"
          + (e instanceof NumberFormatException ? "; a whole number is expected"
          : ": " + e.getMessage()));
    }
  }

  private static long number(Map<String, String> options, String key, long defaultValue,
      List<String> problems) {
    long[] out = {defaultValue};
    parse(options, key, problems, v -> out[0] = Long.parseLong(v));
    return out[0];
  }
}
