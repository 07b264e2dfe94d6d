package org.periodicbackups.destination.glacier;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.aws.AwsClientConfig;

/**
 * Where and how a {@link GlacierDestination} keeps files. Its {@link #toString()} shows where the
 * credentials come from, never their values, so it can be logged.
 *
 * @param vault the vault name ({@code GlacierVaultName})
 * @param aws region ({@code AwsRegionEndpoint}), endpoint override (a test server such as moto),
 *     credentials, retries and timeouts
 * @param retrievalTier the tier of archive-retrieval jobs
 * @param retrievalTimeout how long {@code open} waits for a retrieval job
 * @param inventoryTimeout how long {@code list} waits for an inventory job
 * @param poll the first wait between two job status checks; later waits grow up to 16 times this
 *     (at most 15 minutes)
 * @param partSizeBytes files larger than this are uploaded in parts of this size: a power of two
 *     number of MiB, from 1 MiB to 4 GiB
 */
public record GlacierDestinationConfig(
    String vault,
    AwsClientConfig aws,
    RetrievalTier retrievalTier,
    Duration retrievalTimeout,
    Duration inventoryTimeout,
    Duration poll,
    long partSizeBytes) {

  /** One MiB. */
  public static final long MIB = 1024 * 1024;

  /** The largest part (and the largest single-request upload) Glacier accepts, 4 GiB. */
  public static final long MAX_PART_SIZE = 4096 * MIB;

  /** The default part size, 8 MiB. */
  public static final long DEFAULT_PART_SIZE = 8 * MIB;

  /** The shortest poll interval, for test servers that complete jobs in seconds. */
  public static final Duration MIN_POLL = Duration.ofMillis(50);

  /** Reports every invalid value at once. */
  public GlacierDestinationConfig {
    List<String> problems = new ArrayList<>();
    if (vault == null || vault.isBlank()) {
      problems.add("GlacierVaultName: the vault name is missing");
    } else if (!vault.matches("[A-Za-z0-9_.-]{1,255}")) {
      problems.add(
          "GlacierVaultName: '"
              + vault
              + "' is not a vault name (1 to 255 letters,"
              + " digits, '_', '-' or '.')");
    }
    requireNonNull(aws, "aws is null");
    requireNonNull(retrievalTier, "retrievalTier is null");
    requireNonNull(retrievalTimeout, "retrievalTimeout is null");
    requireNonNull(inventoryTimeout, "inventoryTimeout is null");
    requireNonNull(poll, "poll is null");
    if (retrievalTimeout.isNegative() || retrievalTimeout.isZero()) {
      problems.add(
          "Destinations.glacier.RetrievalTimeoutMinutes: "
              + retrievalTimeout.toMinutes()
              + " is not allowed; it must be positive");
    }
    if (inventoryTimeout.isNegative() || inventoryTimeout.isZero()) {
      problems.add(
          "Destinations.glacier.InventoryTimeoutMinutes: "
              + inventoryTimeout.toMinutes()
              + " is not allowed; it must be positive");
    }
    if (poll.compareTo(MIN_POLL) < 0) {
      problems.add(
          "Destinations.glacier.PollSeconds: "
              + poll.toMillis() / 1000.0
              + " is not allowed; it must be at least "
              + MIN_POLL.toMillis() / 1000.0);
    }
    if (!validPartSize(partSizeBytes)) {
      problems.add(
          "Destinations.glacier.PartSizeMiB: "
              + describeMiB(partSizeBytes)
              + " is not allowed; Glacier parts are a power of two MiB from 1 to 4096");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** Whether {@code bytes} is 1 MiB times a power of two, at most 4 GiB. */
  public static boolean validPartSize(long bytes) {
    return bytes >= MIB
        && bytes <= MAX_PART_SIZE
        && bytes % MIB == 0
        && Long.bitCount(bytes / MIB) == 1;
  }

  /** {@code glacier://vault (region)}, followed by the endpoint when it is overridden. */
  public String description() {
    return "glacier://"
        + vault
        + " ("
        + region()
        + ")"
        + (endpoint() == null ? "" : " at " + endpoint());
  }

  /** The AWS region ({@code AwsRegionEndpoint}). */
  public String region() {
    return aws.region();
  }

  /** The endpoint override (a test server such as moto), or null for AWS. */
  public URI endpoint() {
    return aws.endpoint();
  }

  private static String describeMiB(long bytes) {
    return bytes % MIB == 0 ? Long.toString(bytes / MIB) : bytes + " bytes";
  }
}
