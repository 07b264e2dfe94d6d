package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationOptions;
import org.periodicbackups.aws.AwsClientConfig;

/**
 * Reads the {@code Destinations.glacier} options of the setup document: the shared AWS client
 * options ({@link AwsClientConfig#OPTIONS}: {@code Endpoint}, {@code MaxAttempts}, {@code
 * RetryMode}, {@code AttemptTimeoutSeconds}, {@code CallTimeoutSeconds}) and Glacier's own: {@code
 * RetrievalTier} (Expedited, Standard, Bulk; default Standard), {@code RetrievalTimeoutMinutes}
 * (default 720), {@code InventoryTimeoutMinutes} (default 720), {@code PollSeconds} (default 60,
 * decimals allowed down to 0.05), {@code PartSizeMiB} (a power of two from 1 to 4096, default 8).
 * Every problem is reported at once, naming the key, the value and the rule; a misspelt key gets
 * the closest known one as a hint.
 */
public final class GlacierOptions {
  private static final List<String> OWN_KEYS =
      List.of(
          "RetrievalTier",
          "RetrievalTimeoutMinutes",
          "InventoryTimeoutMinutes",
          "PollSeconds",
          "PartSizeMiB");

  /** The option keys this provider understands. */
  public static final List<String> KEYS = AwsClientConfig.optionsWith(OWN_KEYS);

  private GlacierOptions() {}

  /**
   * Applies the options, region and credentials of {@code context} to {@code builder}.
   *
   * @throws org.periodicbackups.api.ConfigurationException listing every invalid option
   */
  public static void apply(DestinationContext context, GlacierDestinationBuilder builder)
      throws IOException {
    DestinationOptions options =
        DestinationOptions.of(context.setup(), BuiltInDestinations.GLACIER, KEYS);
    builder.aws(AwsClientConfig.read(context, options));
    options
        .parse("RetrievalTier", "one of Expedited, Standard, Bulk", RetrievalTier::parse)
        .ifPresent(builder::retrievalTier);
    options
        .parse(
            "RetrievalTimeoutMinutes",
            "a positive whole number of minutes",
            GlacierOptions::minutes)
        .ifPresent(builder::retrievalTimeout);
    options
        .parse(
            "InventoryTimeoutMinutes",
            "a positive whole number of minutes",
            GlacierOptions::minutes)
        .ifPresent(builder::inventoryTimeout);
    options
        .parse(
            "PollSeconds",
            "a number of seconds of at least 0.05",
            v -> {
              BigDecimal millis = new BigDecimal(v).movePointRight(3);
              if (millis.compareTo(BigDecimal.valueOf(GlacierDestinationConfig.MIN_POLL.toMillis()))
                      < 0
                  || millis.compareTo(BigDecimal.valueOf(Duration.ofDays(1).toMillis())) > 0) {
                throw new IllegalArgumentException("out of range");
              }
              return Duration.ofMillis(millis.longValue());
            })
        .ifPresent(builder::poll);
    options
        .parse(
            "PartSizeMiB",
            "a power of two from 1 to 4096 (MiB)",
            v -> {
              long mib = Long.parseLong(v);
              if (mib < 1 || mib > 4096 || Long.bitCount(mib) != 1) {
                throw new IllegalArgumentException("not a power of two in range");
              }
              return mib * GlacierDestinationConfig.MIB;
            })
        .ifPresent(builder::partSizeBytes);
    options.check();
  }

  private static Duration minutes(String text) {
    long minutes = Long.parseLong(text);
    if (minutes <= 0) {
      throw new IllegalArgumentException("not positive");
    }
    return Duration.ofMinutes(minutes);
  }
}
