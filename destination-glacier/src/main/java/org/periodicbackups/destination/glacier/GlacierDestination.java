package org.periodicbackups.destination.glacier;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.UploadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glacier.GlacierClient;
import software.amazon.awssdk.services.glacier.GlacierClientBuilder;
import software.amazon.awssdk.services.glacier.model.DescribeJobResponse;
import software.amazon.awssdk.services.glacier.model.GetJobOutputResponse;

/**
 * Keeps backup files as archives of an Amazon Glacier vault (the 2012 vault API). Note: the vault
 * service accepts no new AWS customers since December 2025; new users should use the S3
 * destination with a Glacier storage class instead.
 *
 * <p>A vault has no names and no immediate listing, so this destination keeps a
 * <b>catalogue</b> of file name → archive id:
 *
 * <ul>
 *   <li>every upload through this instance is added to it (and its archive id is returned as the
 *       {@link StoredFile#locator()}, which the engine records in the status history);
 *   <li>{@link Builder#knownArchives} and {@link Builder#knownFiles} seed it, for example from
 *       that status history;
 *   <li>the first {@link #list} of an instance runs one inventory-retrieval job (hours on AWS) and
 *       rebuilds the names from the archive descriptions, which carry each file's name: this is
 *       how a vault is read back after a disaster. {@link Builder#inventoryOnList(boolean)} turns
 *       this off when the seeded catalogue is complete; {@link #refreshInventory()} runs a new
 *       inventory on demand.
 * </ul>
 *
 * <p>{@link #open} runs an archive-retrieval job in the configured {@link RetrievalTier}, waits
 * for it (bounded), downloads the archive to a temporary file while checking its SHA-256 tree
 * hash, and returns a stream that deletes the file on close. Uploads larger than the part size are
 * multipart and aborted on failure. Thread-safe; {@link #toString()} and errors never show the
 * secret key.
 *
 * <pre>{@code
 * try (GlacierDestination glacier = GlacierDestination.builder().vault("backups")
 *     .region("eu-west-1").knownArchives(namesToArchiveIds).build()) {
 *   StoredFile stored = glacier.upload("shop/0001.full.json.gz", file, metadata);
 *   String archiveId = stored.locator();
 * }
 * }</pre>
 */
public final class GlacierDestination implements BackupDestination {
  private static final Logger LOG = LoggerFactory.getLogger(GlacierDestination.class);
  /** Glacier's largest archive, 40 TiB. */
  public static final long MAX_ARCHIVE_SIZE = 40L * 1024 * 1024 * 1024 * 1024;
  /** Glacier's most parts per multipart upload. */
  public static final int MAX_PARTS = 10_000;

  private final GlacierDestinationConfig config;
  private final GlacierClient glacier;
  private final boolean staticCredentials;
  private final boolean inventoryOnList;
  private final Path tempDirectory;
  private final Catalogue catalogue;
  private final GlacierErrors errors;
  private final GlacierUploader uploader;
  private final VaultJobs jobs;
  private final Object inventoryLock = new Object();

  private GlacierDestination(Builder b, GlacierDestinationConfig config, GlacierClient glacier,
      Catalogue catalogue) {
    this.config = config;
    this.glacier = glacier;
    this.staticCredentials = b.credentials instanceof StaticCredentialsProvider;
    this.inventoryOnList = b.inventoryOnList;
    this.tempDirectory = b.tempDirectory;
    this.catalogue = catalogue;
    this.errors = new GlacierErrors(config);
    this.uploader = new GlacierUploader(glacier, config, errors);
    this.jobs = new VaultJobs(glacier, config, errors, d -> Thread.sleep(d.toMillis()));
  }

  /** A builder with the defaults: region us-east-1, 8 MiB parts, Standard retrievals. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where and how files are stored (without credentials). */
  public GlacierDestinationConfig config() {
    return config;
  }

  @Override
  public String providerName() {
    return BuiltInDestinations.GLACIER;
  }

  @Override
  public String description() {
    return config.description();
  }

  /**
   * No immediate listing (an inventory job) and no immediate reads (a retrieval job); the largest
   * file is 10,000 parts, at most 40 TiB.
   */
  @Override
  public DestinationCapabilities capabilities() {
    return new DestinationCapabilities(false, false, maxFileSize());
  }

  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    StoredNames.requireSafe(name);
    requireNonNull(file, "file is null");
    String description = ArchiveDescription.of(name, metadata);
    if (description == null) {
      throw new DestinationException(description() + ": cannot upload " + name + ": its encoded"
          + " name does not fit Glacier's 1,024-character archive description, and without it an"
          + " inventory could not find the file again; use a shorter name");
    }
    long size = Files.size(file);
    if (size > maxFileSize()) {
      throw new DestinationException(description() + ": cannot upload " + name + " (" + size
          + " bytes): with " + config.partSizeBytes() / GlacierDestinationConfig.MIB + " MiB parts"
          + " the largest archive is " + maxFileSize() + " bytes; raise PartSizeMiB");
    }
    long started = System.nanoTime();
    GlacierUploader.Uploaded uploaded = uploader.upload(name, file, description);
    Optional<Catalogue.Entry> previous = catalogue.get(name);
    catalogue.put(name, new Catalogue.Entry(uploaded.archiveId(), uploaded.size(),
        uploaded.treeHash(), Instant.now().toString()));
    LOG.info("uploaded {} ({} bytes) to {} as archive {} in {} ms", name, uploaded.size(),
        description(), uploaded.archiveId(), (System.nanoTime() - started) / 1_000_000);
    if (previous.isPresent() && !previous.get().archiveId().equals(uploaded.archiveId())) {
      deleteReplaced(name, previous.get().archiveId());
    }
    return new StoredFile(name, uploaded.size(), uploaded.archiveId());
  }

  /**
   * Lists the catalogue. The first call of an instance first runs an inventory job, unless
   * {@link Builder#inventoryOnList(boolean)} turned that off. Sizes of archives known only by id
   * (from {@link Builder#knownArchives}) and not yet in an inventory show as 0.
   */
  @Override
  public List<StoredFile> list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    if (inventoryOnList && !catalogue.inventoryLoaded()) {
      synchronized (inventoryLock) {
        if (!catalogue.inventoryLoaded()) {
          refreshInventory();
        }
      }
    }
    return catalogue.list(prefix);
  }

  /**
   * Runs an inventory-retrieval job, waits for it (at most the inventory timeout) and merges it
   * into the catalogue. AWS updates a vault's inventory about once a day, so uploads of the last
   * day are missing from it; those made through this instance stay in the catalogue.
   */
  public void refreshInventory() throws IOException {
    String jobId;
    try {
      jobId = jobs.startInventory();
    } catch (SdkException e) {
      if (!GlacierErrors.notFound(e)) {
        throw errors.translate("start inventory of", null, e);
      }
      // AWS makes a vault's first inventory about a day after its first upload.
      LOG.warn("{}: the vault has no inventory yet; listing only the {} catalogued files",
          description(), catalogue.list("").size());
      catalogue.mergeInventory(Map.of());
      return;
    }
    jobs.await(jobId, "inventory-retrieval", config.inventoryTimeout(), null);
    InventoryReader.Result inventory;
    try (InputStream in = jobs.output(jobId)) {
      inventory = InventoryReader.read(in);
    } catch (SdkException e) {
      throw errors.translate("read inventory of", null, e);
    }
    catalogue.mergeInventory(inventory.entries());
    LOG.info("{}: inventory lists {} archives, {} of them backup files ({} without a name of"
        + " ours)", description(), inventory.archives(), inventory.entries().size(),
        inventory.foreign());
  }

  /**
   * Retrieves a file: runs an archive-retrieval job and waits for it (up to the retrieval
   * timeout, typically hours), then downloads and verifies the archive.
   *
   * @throws BackupFileNotFoundException if neither the catalogue nor the vault's inventory knows
   *     the name
   */
  @Override
  public InputStream open(String name) throws IOException {
    StoredNames.requireSafe(name);
    Catalogue.Entry entry = lookup(name)
        .orElseThrow(() -> new BackupFileNotFoundException(description(), name));
    String jobId;
    try {
      jobId = jobs.startArchiveRetrieval(name, entry.archiveId());
    } catch (SdkException e) {
      if (GlacierErrors.notFound(e)) {
        throw new BackupFileNotFoundException(description(), name);
      }
      throw errors.translate("retrieve", name, e);
    }
    DescribeJobResponse job = jobs.await(jobId, "archive-retrieval", config.retrievalTimeout(),
        name);
    Path temp = Files.createTempFile(tempDirectory, "pbk-glacier-", ".download");
    try {
      download(name, jobId, job, entry, temp);
      return new TempFileInputStream(temp);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Deletes the archive of {@code name}; an unknown name or a missing archive does nothing. */
  @Override
  public void delete(String name) throws IOException {
    StoredNames.requireSafe(name);
    Optional<Catalogue.Entry> entry = catalogue.get(name);
    if (entry.isEmpty()) {
      return;
    }
    deleteArchive(name, entry.get().archiveId());
    catalogue.remove(name);
  }

  @Override
  public void close() {
    glacier.close();
  }

  @Override
  public String toString() {
    return "GlacierDestination[" + description() + ", tier=" + config.retrievalTier()
        + ", partSize=" + config.partSizeBytes() / GlacierDestinationConfig.MIB + " MiB"
        + ", credentials=" + (staticCredentials ? "Raven/AWSAccessKey" : "default chain") + "]";
  }

  private long maxFileSize() {
    return Math.min(MAX_ARCHIVE_SIZE, MAX_PARTS * config.partSizeBytes());
  }

  private Optional<Catalogue.Entry> lookup(String name) throws IOException {
    Optional<Catalogue.Entry> entry = catalogue.get(name);
    if (entry.isEmpty() && inventoryOnList && !catalogue.inventoryLoaded()) {
      list("");
      entry = catalogue.get(name);
    }
    return entry;
  }

  private void download(String name, String jobId, DescribeJobResponse job,
      Catalogue.Entry entry, Path temp) throws IOException {
    TreeHash hash = new TreeHash();
    String served;
    try (ResponseInputStream<GetJobOutputResponse> in = jobs.output(jobId);
        OutputStream out = Files.newOutputStream(temp)) {
      byte[] buffer = new byte[64 * 1024];
      for (int read; (read = in.read(buffer)) >= 0; ) {
        hash.update(buffer, 0, read);
        out.write(buffer, 0, read);
      }
      served = in.response().checksum();
    } catch (SdkException e) {
      throw errors.translate("download", name, e);
    }
    String actual = hash.hex();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("the job output's x-amz-sha256-tree-hash", served);
    expected.put("the retrieval job's SHA256TreeHash", job.sha256TreeHash());
    expected.put("the archive's SHA256TreeHash", job.archiveSHA256TreeHash());
    expected.put("the catalogue", entry.treeHash());
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (e.getValue() == null || e.getValue().isBlank()) {
        continue;
      }
      if (!e.getValue().equalsIgnoreCase(actual)) {
        throw new DestinationException(description() + ": " + name + " (archive "
            + entry.archiveId() + ") arrived damaged: its SHA-256 tree hash is " + actual
            + " but " + e.getKey() + " says " + e.getValue());
      }
      checked.add(e.getKey());
    }
    if (entry.size() >= 0 && entry.size() != hash.length()) {
      throw new DestinationException(description() + ": " + name + " (archive "
          + entry.archiveId() + ") arrived with " + hash.length() + " bytes but " + entry.size()
          + " were stored");
    }
    if (checked.isEmpty()) {
      LOG.warn("{}: {} retrieved without a tree hash to check it against", description(), name);
    }
  }

  private void deleteReplaced(String name, String archiveId) {
    try {
      deleteArchive(name, archiveId);
    } catch (IOException e) {
      LOG.warn("{}: {} was replaced, but its previous archive {} could not be deleted: {}",
          description(), name, archiveId, e.getMessage());
    }
  }

  private void deleteArchive(String name, String archiveId) throws IOException {
    try {
      glacier.deleteArchive(b -> b.accountId("-").vaultName(config.vault()).archiveId(archiveId));
      LOG.info("deleted {} (archive {}) from {}", name, archiveId, description());
    } catch (SdkException e) {
      if (!GlacierErrors.notFound(e)) {
        throw errors.translate("delete", name, e);
      }
    }
  }

  /**
   * Configures a {@link GlacierDestination}. Only the vault is required; everything else has a
   * default. Values are validated together in {@link #build()}.
   */
  public static final class Builder {
    private String vault;
    private String region = PeriodicBackupSetup.DEFAULT_AWS_REGION;
    private URI endpoint;
    private AwsCredentialsProvider credentials;
    private RetrievalTier retrievalTier = RetrievalTier.STANDARD;
    private Duration retrievalTimeout = Duration.ofHours(12);
    private Duration inventoryTimeout = Duration.ofHours(12);
    private Duration poll = Duration.ofMinutes(1);
    private long partSizeBytes = GlacierDestinationConfig.DEFAULT_PART_SIZE;
    private int maxAttempts = 5;
    private final Map<String, Catalogue.Entry> known = new LinkedHashMap<>();
    private boolean inventoryOnList = true;
    private Path tempDirectory = Path.of(System.getProperty("java.io.tmpdir"));

    private Builder() {}

    /** The vault ({@code GlacierVaultName}); required. */
    public Builder vault(String vault) {
      this.vault = vault;
      return this;
    }

    /** The region ({@code AwsRegionEndpoint}), default {@code us-east-1}. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Another endpoint than AWS's (a test server such as moto); null for AWS. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** Where credentials come from; default: the AWS default credentials chain. */
    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = requireNonNull(credentials, "credentials is null");
      return this;
    }

    /** Fixed credentials ({@code Raven/AWSAccessKey}, {@code Raven/AWSSecretKey}). */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      requireNonNull(accessKeyId, "accessKeyId is null");
      requireNonNull(secretAccessKey, "secretAccessKey is null");
      this.credentials = StaticCredentialsProvider.create(
          AwsBasicCredentials.create(accessKeyId, secretAccessKey));
      return this;
    }

    /** The tier of archive-retrieval jobs, default {@link RetrievalTier#STANDARD}. */
    public Builder retrievalTier(RetrievalTier tier) {
      this.retrievalTier = tier;
      return this;
    }

    /** How long {@code open} waits for a retrieval job, default 12 hours. */
    public Builder retrievalTimeout(Duration timeout) {
      this.retrievalTimeout = timeout;
      return this;
    }

    /** How long {@code list} waits for an inventory job, default 12 hours. */
    public Builder inventoryTimeout(Duration timeout) {
      this.inventoryTimeout = timeout;
      return this;
    }

    /**
     * The first wait between two job status checks, default 1 minute, at least 50 ms; each
     * further wait doubles, up to 16 times this and at most 15 minutes.
     */
    public Builder poll(Duration poll) {
      this.poll = poll;
      return this;
    }

    /** The multipart part size: a power of two MiB from 1 MiB to 4 GiB, default 8 MiB. */
    public Builder partSizeBytes(long partSizeBytes) {
      this.partSizeBytes = partSizeBytes;
      return this;
    }

    /** Attempts per request (throttling, 5xx and network errors are retried), default 5. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Seeds the catalogue with file name → archive id pairs, such as the locators of the status
     * history; their sizes are unknown until an inventory shows them.
     */
    public Builder knownArchives(Map<String, String> archiveIdsByName) {
      archiveIdsByName.forEach((name, archiveId) -> known.put(StoredNames.requireSafe(name),
          new Catalogue.Entry(requireNonNull(archiveId, "archive id of " + name + " is null"),
              Catalogue.UNKNOWN_SIZE, null, "")));
      return this;
    }

    /** Seeds the catalogue with stored files (locator = archive id), sizes included. */
    public Builder knownFiles(Collection<StoredFile> files) {
      for (StoredFile file : files) {
        known.put(StoredNames.requireSafe(file.name()),
            new Catalogue.Entry(file.locator(), file.size(), null, ""));
      }
      return this;
    }

    /**
     * Whether the first {@code list} (or an {@code open} of an unknown name) runs an inventory
     * job, default true. Turn it off when the seeded catalogue is known to be complete.
     */
    public Builder inventoryOnList(boolean inventoryOnList) {
      this.inventoryOnList = inventoryOnList;
      return this;
    }

    /** Where {@code open} downloads archives before returning them, default java.io.tmpdir. */
    public Builder tempDirectory(Path tempDirectory) {
      this.tempDirectory = requireNonNull(tempDirectory, "tempDirectory is null");
      return this;
    }

    /**
     * Validates the configuration and opens the client (no request is sent).
     *
     * @throws org.periodicbackups.api.ConfigurationException listing every invalid value
     */
    public GlacierDestination build() {
      GlacierDestinationConfig config = new GlacierDestinationConfig(vault, region, endpoint,
          retrievalTier, retrievalTimeout, inventoryTimeout, poll, partSizeBytes, maxAttempts);
      AwsCredentialsProvider provider =
          credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
      // The HTTP client is named here: with several on the classpath the SDK's pick is arbitrary.
      GlacierClientBuilder client = GlacierClient.builder()
          .region(Region.of(config.region()))
          .credentialsProvider(provider)
          .httpClientBuilder(ApacheHttpClient.builder()
              .connectionTimeout(Duration.ofSeconds(10))
              .socketTimeout(Duration.ofSeconds(60)))
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
              .toBuilder().maxAttempts(config.maxAttempts()).build()));
      if (config.endpoint() != null) {
        client.endpointOverride(config.endpoint());
      }
      Catalogue catalogue = new Catalogue();
      known.forEach(catalogue::put);
      return new GlacierDestination(this, config, client.build(), catalogue);
    }
  }
}
