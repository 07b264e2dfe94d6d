package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.ClosestName;
import org.periodicbackups.api.destination.DestinationContext;

/**
 * Reads the {@code Destinations.glacier} options of the setup document: {@code Endpoint},
 * {@code RetrievalTier} (Expedited, Standard, Bulk; default Standard),
 * {@code RetrievalTimeoutMinutes} (default 720), {@code InventoryTimeoutMinutes} (default 720),
 * {@code PollSeconds} (default 60, decimals allowed down to 0.05), {@code PartSizeMiB} (a power
 * of two from 1 to 4096, default 8). Every problem is reported at once, naming the key, the value
 * and the rule; a misspelt key gets the closest known one as a hint.
 */
public final class GlacierOptions {
  /** The database setting with the access key id. */
  public static final String ACCESS_KEY_SETTING = "Raven/AWSAccessKey";
  /** The (secured) database setting with the secret access key. */
  public static final String SECRET_KEY_SETTING = "Raven/AWSSecretKey";
  /** The option keys this provider understands. */
  public static final List<String> KEYS = List.of("Endpoint", "RetrievalTier",
      "RetrievalTimeoutMinutes", "InventoryTimeoutMinutes", "PollSeconds", "PartSizeMiB");
  private static final String PREFIX = "Destinations.glacier.";

  private GlacierOptions() {}

  /** Applies {@code options} to {@code builder}; throws listing every invalid option. */
  public static void apply(Map<String, String> options, GlacierDestination.Builder builder) {
    List<String> problems = new ArrayList<>();
    for (String key : options.keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(PREFIX + key + ": unknown option; "
            + ClosestName.of(key, KEYS).map(k -> "did you mean " + k + "? Known: ")
                .orElse("known: ") + KEYS);
      }
    }
    parse(options, "Endpoint", problems, "an absolute URL such as http://127.0.0.1:5000", v -> {
      URI uri = new URI(v);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new URISyntaxException(v, "not absolute");
      }
      builder.endpoint(uri);
    });
    parse(options, "RetrievalTier", problems, "one of Expedited, Standard, Bulk",
        v -> builder.retrievalTier(RetrievalTier.parse(v)));
    parse(options, "RetrievalTimeoutMinutes", problems, "a positive whole number of minutes",
        v -> builder.retrievalTimeout(Duration.ofMinutes(positive(Long.parseLong(v)))));
    parse(options, "InventoryTimeoutMinutes", problems, "a positive whole number of minutes",
        v -> builder.inventoryTimeout(Duration.ofMinutes(positive(Long.parseLong(v)))));
    parse(options, "PollSeconds", problems, "a number of seconds of at least 0.05", v -> {
      BigDecimal millis = new BigDecimal(v).movePointRight(3);
      if (millis.compareTo(BigDecimal.valueOf(GlacierDestinationConfig.MIN_POLL.toMillis())) < 0
          || millis.compareTo(BigDecimal.valueOf(Duration.ofDays(1).toMillis())) > 0) {
        throw new IllegalArgumentException("out of range");
      }
      builder.poll(Duration.ofMillis(millis.longValue()));
    });
    parse(options, "PartSizeMiB", problems, "a power of two from 1 to 4096 (MiB)", v -> {
      long mib = Long.parseLong(v);
      if (mib < 1 || mib > 4096 || Long.bitCount(mib) != 1) {
        throw new IllegalArgumentException("not a power of two in range");
      }
      builder.partSizeBytes(mib * GlacierDestinationConfig.MIB);
    });
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /**
   * Uses {@code Raven/AWSAccessKey} and {@code Raven/AWSSecretKey} when both are set; none means
   * the default credentials chain; only one is an error.
   */
  public static void applyCredentials(DestinationContext context,
      GlacierDestination.Builder builder) throws IOException {
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

  /** Parses one option; a failure becomes a problem naming key, value and rule. */
  private static void parse(Map<String, String> options, String key, List<String> problems,
      String rule, ThrowingConsumer apply) {
    String value = options.get(key);
    if (value == null) {
      return;
    }
    try {
      apply.accept(value.strip());
    } catch (Exception e) {
      problems.add(PREFIX + key + ": '" + value + "' is not valid; expected " + rule);
    }
  }

  /** A consumer that may throw any parse exception. */
  @FunctionalInterface
  private interface ThrowingConsumer {
    void accept(String value) throws Exception;
  }

  private static long positive(long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("not positive");
    }
    return value;
  }
}
