package org.periodicbackups.destination.glacier;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.aws.AwsClientConfig;
import org.periodicbackups.aws.AwsClients;
import software.amazon.awssdk.services.glacier.GlacierClient;

/**
 * Configures a {@link GlacierDestination}. Only the vault is required; everything else has a
 * default. Values are validated together in {@link #build()}.
 *
 * <pre>{@code
 * GlacierDestination glacier = GlacierDestination.builder().vault("backups")
 *     .aws(a -> a.region("eu-west-1")).retrievalTier(RetrievalTier.BULK).build();
 * }</pre>
 */
public final class GlacierDestinationBuilder {
  /** Connections of the HTTP client: the SDK's default. */
  private static final int MAX_CONNECTIONS = 50;

  private String vault;
  private AwsClientConfig.Builder aws = AwsClientConfig.builder();
  private RetrievalTier retrievalTier = RetrievalTier.STANDARD;
  private Duration retrievalTimeout = Duration.ofHours(12);
  private Duration inventoryTimeout = Duration.ofHours(12);
  private Duration poll = Duration.ofMinutes(1);
  private long partSizeBytes = GlacierDestinationConfig.DEFAULT_PART_SIZE;
  private final Map<String, Catalogue.Entry> known = new LinkedHashMap<>();
  private boolean inventoryOnList = true;
  private Path tempDirectory = Path.of(System.getProperty("java.io.tmpdir"));
  private WaitListener waits = WaitListener.NONE;

  GlacierDestinationBuilder() {}

  /** The vault ({@code GlacierVaultName}); required. */
  public GlacierDestinationBuilder vault(String vault) {
    this.vault = vault;
    return this;
  }

  /**
   * Changes the AWS client settings: region (default {@code us-east-1}), an endpoint override,
   * credentials (default: the AWS default chain), retries and timeouts.
   */
  public GlacierDestinationBuilder aws(Consumer<AwsClientConfig.Builder> settings) {
    settings.accept(aws);
    return this;
  }

  /** Uses {@code aws} as the AWS client settings. */
  public GlacierDestinationBuilder aws(AwsClientConfig.Builder aws) {
    this.aws = requireNonNull(aws, "aws is null");
    return this;
  }

  /** The tier of archive-retrieval jobs, default {@link RetrievalTier#STANDARD}. */
  public GlacierDestinationBuilder retrievalTier(RetrievalTier tier) {
    this.retrievalTier = tier;
    return this;
  }

  /** How long {@code open} waits for a retrieval job, default 12 hours. */
  public GlacierDestinationBuilder retrievalTimeout(Duration timeout) {
    this.retrievalTimeout = timeout;
    return this;
  }

  /** How long {@code list} waits for an inventory job, default 12 hours. */
  public GlacierDestinationBuilder inventoryTimeout(Duration timeout) {
    this.inventoryTimeout = timeout;
    return this;
  }

  /**
   * The first wait between two job status checks, default 1 minute, at least 50 ms; each further
   * wait doubles, up to 16 times this and at most 15 minutes.
   */
  public GlacierDestinationBuilder poll(Duration poll) {
    this.poll = poll;
    return this;
  }

  /** The multipart part size: a power of two MiB from 1 MiB to 4 GiB, default 8 MiB. */
  public GlacierDestinationBuilder partSizeBytes(long partSizeBytes) {
    this.partSizeBytes = partSizeBytes;
    return this;
  }

  /**
   * Seeds the catalogue with file name → archive id pairs, such as the locators of the status
   * history; their sizes are unknown until an inventory shows them.
   */
  public GlacierDestinationBuilder knownArchives(Map<String, String> archiveIdsByName) {
    archiveIdsByName.forEach(
        (name, archiveId) ->
            known.put(
                StoredNames.requireSafe(name),
                new Catalogue.Entry(
                    requireNonNull(archiveId, "archive id of " + name + " is null"),
                    Catalogue.UNKNOWN_SIZE,
                    null,
                    "")));
    return this;
  }

  /** Seeds the catalogue with stored files (locator = archive id), sizes included. */
  public GlacierDestinationBuilder knownFiles(Collection<StoredFile> files) {
    for (StoredFile file : files) {
      known.put(
          StoredNames.requireSafe(file.name()),
          new Catalogue.Entry(file.locator(), file.size(), null, ""));
    }
    return this;
  }

  /**
   * Whether the first {@code list} (or an {@code open} of an unknown name) runs an inventory job,
   * default true. Turn it off when the seeded catalogue is known to be complete.
   */
  public GlacierDestinationBuilder inventoryOnList(boolean inventoryOnList) {
    this.inventoryOnList = inventoryOnList;
    return this;
  }

  /** Where {@code open} downloads archives before returning them, default java.io.tmpdir. */
  public GlacierDestinationBuilder tempDirectory(Path tempDirectory) {
    this.tempDirectory = requireNonNull(tempDirectory, "tempDirectory is null");
    return this;
  }

  /** Who hears of waits for inventory and retrieval jobs, default nobody. */
  public GlacierDestinationBuilder waitListener(WaitListener waits) {
    this.waits = requireNonNull(waits, "waits is null");
    return this;
  }

  /**
   * Validates the configuration and opens the client (no request is sent).
   *
   * @throws org.periodicbackups.api.ConfigurationException listing every invalid value
   */
  public GlacierDestination build() {
    GlacierDestinationConfig config =
        aws.buildInto(
            client ->
                new GlacierDestinationConfig(
                    vault,
                    client,
                    retrievalTier,
                    retrievalTimeout,
                    inventoryTimeout,
                    poll,
                    partSizeBytes));
    GlacierClient client =
        AwsClients.configure(GlacierClient.builder(), config.aws(), MAX_CONNECTIONS).build();
    Catalogue catalogue = new Catalogue();
    known.forEach(catalogue::put);
    return new GlacierDestination(config, client, catalogue, inventoryOnList, tempDirectory, waits);
  }
}
