package org.periodicbackups.destination.glacier;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.ColdStorage;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.aws.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glacier.GlacierClient;
import software.amazon.awssdk.services.glacier.model.DescribeJobResponse;
import software.amazon.awssdk.services.glacier.model.GetJobOutputResponse;
import software.amazon.awssdk.services.glacier.model.GlacierJobDescription;

/**
 * Keeps backup files as archives of an Amazon Glacier vault (the 2012 vault API). Note: the vault
 * service accepts no new AWS customers since December 2025; new users should use the S3 destination
 * with a Glacier storage class instead.
 *
 * <p>A vault has no names and no immediate listing, so this destination keeps a <b>catalogue</b> of
 * file name → archive id:
 *
 * <ul>
 *   <li>every upload through this instance is added to it (and its archive id is returned as the
 *       {@link StoredFile#locator()}, which the engine records in the status history);
 *   <li>{@link GlacierDestinationBuilder#knownArchives} and {@link
 *       GlacierDestinationBuilder#knownFiles} seed it, for example from that status history;
 *   <li>the first {@link #list} of an instance runs one inventory-retrieval job (hours on AWS) and
 *       rebuilds the names from the archive descriptions, which carry each file's name: this is how
 *       a vault is read back after a disaster. {@link
 *       GlacierDestinationBuilder#inventoryOnList(boolean)} turns this off when the seeded
 *       catalogue is complete; {@link #refreshInventory()} runs a new inventory on demand.
 * </ul>
 *
 * <p>{@link #open} runs an archive-retrieval job in the configured {@link RetrievalTier}, waits for
 * it (bounded), downloads the archive to a temporary file while checking its SHA-256 tree hash, and
 * returns a stream that deletes the file on close. Uploads larger than the part size are multipart
 * and aborted on failure. Thread-safe; {@link #toString()} and errors never show the secret key.
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
  private final boolean inventoryOnList;
  private final Path tempDirectory;
  private final Catalogue catalogue;
  private final GlacierErrors errors;
  private final GlacierUploader uploader;
  private final VaultJobs jobs;
  private final GlacierColdStorage cold;
  private final Object inventoryLock = new Object();

  GlacierDestination(
      GlacierDestinationConfig config,
      GlacierClient glacier,
      Catalogue catalogue,
      boolean inventoryOnList,
      Path tempDirectory,
      WaitListener waits) {
    this.config = config;
    this.glacier = glacier;
    this.inventoryOnList = inventoryOnList;
    this.tempDirectory = tempDirectory;
    this.catalogue = catalogue;
    this.errors = new GlacierErrors(config);
    this.uploader = new GlacierUploader(glacier, config, errors);
    this.jobs = new VaultJobs(glacier, config, errors, Sleeper.THREAD, waits);
    this.cold = new GlacierColdStorage(config, jobs, errors, this::lookup, Sleeper.THREAD, waits);
  }

  /** A builder with the defaults: region us-east-1, 8 MiB parts, Standard retrievals. */
  public static GlacierDestinationBuilder builder() {
    return new GlacierDestinationBuilder();
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

  /** Vault, region, endpoint (when overridden), retrieval tier and credentials' source. */
  @Override
  public Map<String, String> location() {
    Map<String, String> where = new LinkedHashMap<>();
    where.put("vault", config.vault());
    where.put("region", config.region());
    if (config.endpoint() != null) {
      where.put("endpoint", config.endpoint().toString());
    }
    where.put("retrieval tier", config.retrievalTier().apiName());
    where.put("credentials", config.aws().credentialsSource());
    return where;
  }

  /**
   * No immediate listing (an inventory job) and no immediate reads (a retrieval job); the largest
   * file is 10,000 parts, at most 40 TiB.
   */
  @Override
  public DestinationCapabilities capabilities() {
    return new DestinationCapabilities(false, false, maxFileSize());
  }

  /** Every archive needs a retrieval job; restores request them all at once and reuse them. */
  @Override
  public Optional<ColdStorage> coldStorage() {
    return Optional.of(cold);
  }

  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    StoredNames.requireSafe(name);
    requireNonNull(file, "file is null");
    String description = ArchiveDescription.of(name, metadata);
    if (description == null) {
      throw new DestinationException(
          description()
              + ": cannot upload "
              + name
              + ": its encoded"
              + " name does not fit Glacier's 1,024-character archive description, and without it an"
              + " inventory could not find the file again; use a shorter name");
    }
    long size = Files.size(file);
    if (size > maxFileSize()) {
      throw new DestinationException(
          description()
              + ": cannot upload "
              + name
              + " ("
              + size
              + " bytes): with "
              + config.partSizeBytes() / GlacierDestinationConfig.MIB
              + " MiB parts"
              + " the largest archive is "
              + maxFileSize()
              + " bytes; raise PartSizeMiB");
    }
    long started = System.nanoTime();
    GlacierUploader.Uploaded uploaded = uploader.upload(name, file, description);
    Optional<Catalogue.Entry> previous = catalogue.get(name);
    catalogue.put(
        name,
        new Catalogue.Entry(
            uploaded.archiveId(), uploaded.size(), uploaded.treeHash(), Instant.now().toString()));
    LOG.info(
        "uploaded {} ({} bytes) to {} as archive {} in {} ms",
        name,
        uploaded.size(),
        description(),
        uploaded.archiveId(),
        (System.nanoTime() - started) / 1_000_000);
    if (previous.isPresent() && !previous.get().archiveId().equals(uploaded.archiveId())) {
      deleteReplaced(name, previous.get().archiveId());
    }
    return new StoredFile(name, uploaded.size(), uploaded.archiveId());
  }

  /**
   * Lists the catalogue. The first call of an instance first runs an inventory job, unless {@link
   * GlacierDestinationBuilder#inventoryOnList(boolean)} turned that off. Sizes of archives known
   * only by id (from {@link GlacierDestinationBuilder#knownArchives}) and not yet in an inventory
   * show as 0.
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
      LOG.warn(
          "{}: the vault has no inventory yet; listing only the {} catalogued files",
          description(),
          catalogue.list("").size());
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
    LOG.info(
        "{}: inventory lists {} archives, {} of them backup files ({} without a name of" + " ours)",
        description(),
        inventory.archives(),
        inventory.entries().size(),
        inventory.foreign());
  }

  /**
   * Retrieves a file: runs an archive-retrieval job and waits for it (up to the retrieval timeout,
   * typically hours), then downloads and verifies the archive.
   *
   * @throws BackupFileNotFoundException if neither the catalogue nor the vault's inventory knows
   *     the name
   */
  @Override
  public InputStream open(String name) throws IOException {
    StoredNames.requireSafe(name);
    Catalogue.Entry entry =
        lookup(name).orElseThrow(() -> new BackupFileNotFoundException(description(), name));
    String jobId;
    try {
      GlacierJobDescription running = jobs.retrievals().get(entry.archiveId());
      if (running != null) {
        jobId = running.jobId();
        LOG.info(
            "{}: reusing archive-retrieval job {} for {} ({})",
            description(),
            jobId,
            name,
            running.statusCodeAsString());
      } else {
        jobId = jobs.startArchiveRetrieval(name, entry.archiveId());
      }
    } catch (SdkException e) {
      if (GlacierErrors.notFound(e)) {
        throw new BackupFileNotFoundException(description(), name);
      }
      throw errors.translate("retrieve", name, e);
    }
    DescribeJobResponse job =
        jobs.await(jobId, "archive-retrieval", config.retrievalTimeout(), name);
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
    return "GlacierDestination["
        + description()
        + ", tier="
        + config.retrievalTier()
        + ", partSize="
        + config.partSizeBytes() / GlacierDestinationConfig.MIB
        + " MiB"
        + ", credentials="
        + config.aws().credentialsSource()
        + "]";
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

  private void download(
      String name, String jobId, DescribeJobResponse job, Catalogue.Entry entry, Path temp)
      throws IOException {
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
        throw new DestinationException(
            description()
                + ": "
                + name
                + " (archive "
                + entry.archiveId()
                + ") arrived damaged: its SHA-256 tree hash is "
                + actual
                + " but "
                + e.getKey()
                + " says "
                + e.getValue());
      }
      checked.add(e.getKey());
    }
    if (entry.size() >= 0 && entry.size() != hash.length()) {
      throw new DestinationException(
          description()
              + ": "
              + name
              + " (archive "
              + entry.archiveId()
              + ") arrived with "
              + hash.length()
              + " bytes but "
              + entry.size()
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
      LOG.warn(
          "{}: {} was replaced, but its previous archive {} could not be deleted: {}",
          description(),
          name,
          archiveId,
          e.getMessage());
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
}
