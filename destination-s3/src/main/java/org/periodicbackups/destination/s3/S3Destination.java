package org.periodicbackups.destination.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.ColdStorage;
import org.periodicbackups.api.destination.ConditionalWrites;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.ObjectLocks;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.aws.AwsClientConfig;
import org.periodicbackups.aws.AwsClients;
import org.periodicbackups.aws.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Keeps backup files as objects of an Amazon S3 bucket (or an S3-compatible store such as MinIO),
 * under a key prefix: file {@code shop/0001.full.json.gz} with prefix {@code backups/} is object
 * {@code backups/shop/0001.full.json.gz}.
 *
 * <p>Uploads above the part size are multipart, streamed from disk by a bounded number of threads,
 * checksummed (CRC32, verified by S3) and aborted on failure, so a failed upload leaves neither an
 * object nor parts. Objects in an archive storage class (GLACIER, DEEP_ARCHIVE) are restored on
 * {@link #open} with a bounded wait. Thread-safe; {@link #toString()} and errors never show the
 * secret key.
 *
 * <pre>{@code
 * try (S3Destination s3 = S3Destination.builder().bucket("backups").prefix("prod")
 *     .region("eu-west-1").build()) {
 *   s3.upload("shop/0001.full.json.gz", file, metadata);
 * }
 * }</pre>
 */
public final class S3Destination implements BackupDestination {
  private static final Logger LOG = LoggerFactory.getLogger(S3Destination.class);

  /** S3's largest object, 5 TiB. */
  private static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024 * 1024;

  private final S3DestinationConfig config;
  private final S3Client s3;
  private final S3Errors errors;
  private final S3Uploader uploader;
  private final ArchiveRestorer restorer;
  private final boolean conditionalWrites;
  private final S3Locks locks;
  private final S3ColdStorage cold;

  private S3Destination(
      S3DestinationConfig config, S3Client s3, WaitListener waits, boolean conditionalWrites) {
    this.config = config;
    this.conditionalWrites = conditionalWrites;
    this.s3 = s3;
    this.errors = new S3Errors(config);
    this.uploader = new S3Uploader(s3, config, errors);
    this.restorer = new ArchiveRestorer(s3, config, errors, Sleeper.THREAD, waits);
    this.cold = new S3ColdStorage(s3, config, errors, restorer, Sleeper.THREAD, waits);
    this.locks = config.objectLock() == null ? null : new S3Locks(s3, config, errors);
  }

  /** A builder with the defaults: region us-east-1, 16 MiB parts, 2 parallel parts. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where and how files are stored (without credentials). */
  public S3DestinationConfig config() {
    return config;
  }

  @Override
  public String providerName() {
    return BuiltInDestinations.S3;
  }

  @Override
  public String description() {
    return config.description();
  }

  /**
   * Bucket, prefix, region, endpoint (when overridden), storage class, server-side encryption and
   * where the credentials come from.
   */
  @Override
  public Map<String, String> location() {
    Map<String, String> where = new LinkedHashMap<>();
    where.put("bucket", config.bucket());
    where.put("prefix", config.prefix().isEmpty() ? "(the bucket's root)" : config.prefix());
    where.put("region", config.region());
    if (config.endpoint() != null) {
      where.put("endpoint", config.endpoint() + (config.pathStyle() ? " (path-style)" : ""));
    }
    where.put("storage class", config.storageClassDescription());
    if (config.objectLock() != null) {
      where.put("object lock", config.objectLock().toString());
    }
    if (config.serverSideEncryption() != null) {
      where.put(
          "server-side encryption",
          config.serverSideEncryption()
              + (config.kmsKeyId() == null ? "" : " (key " + config.kmsKeyId() + ")"));
    }
    where.put("credentials", config.aws().credentialsSource());
    return where;
  }

  /** Reads are not immediate when uploads go to an archive storage class. */
  @Override
  public DestinationCapabilities capabilities() {
    return new DestinationCapabilities(true, !config.archiveStorage(), MAX_OBJECT_SIZE);
  }

  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    String key = keyOf(name);
    requireNonNull(file, "file is null");
    long started = System.nanoTime();
    S3Uploader.Placement placement =
        new S3Uploader.Placement(
            config.storageClassFor(metadata == null ? null : metadata.type()),
            locks == null ? null : locks.retainUntil(Instant.now()));
    long size = uploader.upload(name, key, file, S3Uploader.userMetadata(metadata), placement);
    LOG.info(
        "uploaded {} ({} bytes) to s3://{}/{} in {} ms",
        name,
        size,
        config.bucket(),
        key,
        (System.nanoTime() - started) / 1_000_000);
    return new StoredFile(name, size, "s3://" + config.bucket() + "/" + key);
  }

  @Override
  public List<StoredFile> list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    List<StoredFile> files = new ArrayList<>();
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(config.prefix() + prefix))
              .contents()) {
        String name = object.key().substring(config.prefix().length());
        if (StoredNames.isSafe(name)) { // skips "folder/" markers made by consoles
          files.add(
              new StoredFile(name, object.size(), "s3://" + config.bucket() + "/" + object.key()));
        }
      }
    } catch (SdkException e) {
      throw errors.translate("list", null, config.prefix() + prefix, e);
    }
    // S3 sorts keys by UTF-8 bytes; the contract sorts names as Java strings.
    files.sort(Comparator.comparing(StoredFile::name));
    return files;
  }

  @Override
  public InputStream open(String name) throws IOException {
    String key = keyOf(name);
    try {
      return get(name, key);
    } catch (S3Exception e) {
      if (e.awsErrorDetails() == null
          || !"InvalidObjectState".equals(e.awsErrorDetails().errorCode())) {
        throw errors.translate("read", name, key, e);
      }
    } catch (SdkException e) {
      throw errors.translate("read", name, key, e);
    }
    // The object is archived: restore a readable copy first.
    restorer.restoreAndWait(name, key);
    try {
      return get(name, key);
    } catch (SdkException e) {
      throw errors.translate("read", name, key, e);
    }
  }

  /**
   * Without Object Lock, one DeleteObject. With it, every version of the object is removed, so that
   * an expired file does not stay behind a delete marker; a version still locked stays, hidden by a
   * marker. Retention asks {@link #objectLocks()} first and keeps locked files.
   */
  @Override
  public void delete(String name) throws IOException {
    String key = keyOf(name);
    if (locks != null) {
      locks.deleteVersions(name, key);
      return;
    }
    try {
      s3.deleteObject(b -> b.bucket(config.bucket()).key(key)); // S3 answers 204 when missing
    } catch (SdkException e) {
      throw errors.translate("delete", name, key, e);
    }
  }

  /**
   * S3 conditional writes: {@code PutObject} with {@code If-None-Match: *} (create) or {@code
   * If-Match: <ETag>} (replace); S3 answers 412 when the condition fails, and 409 when a
   * conditional write to the key raced with another (treated as a refusal: the other writer may
   * have won). Tags are ETags. Empty when the setup says {@code ConditionalWrites: false}, for
   * stores that do not check the headers atomically (see destination-s3/README.md).
   */
  @Override
  public Optional<ConditionalWrites> conditionalWrites() {
    return conditionalWrites
        ? Optional.of(new S3ConditionalWrites(s3, config, errors))
        : Optional.empty();
  }

  /**
   * Always present: any object may be in an archive storage class, uploaded so or moved by a
   * lifecycle rule. A listing tells which; only archived objects cost a HeadObject.
   */
  @Override
  public Optional<ColdStorage> coldStorage() {
    return Optional.of(cold);
  }

  /** With {@code ObjectLockMode}: the retain-until dates of the bucket's objects. */
  @Override
  public Optional<ObjectLocks> objectLocks() {
    return Optional.ofNullable(locks);
  }

  /** With {@code ObjectLockMode}, refuses a bucket that does not have Object Lock enabled. */
  @Override
  public List<String> checkSetup() throws IOException {
    return locks == null ? List.of() : locks.checkBucket();
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return "S3Destination["
        + description()
        + ", region="
        + config.region()
        + ", storageClass="
        + config.storageClassDescription()
        + ", credentials="
        + config.aws().credentialsSource()
        + "]";
  }

  /** Test seam: observes each stored part of multipart uploads. */
  void setPartListener(S3Uploader.PartListener listener) {
    uploader.setPartListener(listener);
  }

  /** The object's body, resumed from where it broke if the connection fails part-way. */
  private InputStream get(String name, String key) {
    return new ResumingObjectStream(
        s3.getObject(b -> b.bucket(config.bucket()).key(key)),
        name,
        key,
        "s3://" + config.bucket() + "/" + key,
        config.maxAttempts(),
        (from, etag) ->
            s3.getObject(
                b -> b.bucket(config.bucket()).key(key).ifMatch(etag).range("bytes=" + from + "-")),
        errors);
  }

  private String keyOf(String name) {
    return config.prefix() + StoredNames.requireSafe(name);
  }

  /**
   * Configures an {@link S3Destination}. Only the bucket is required; everything else has the
   * defaults of {@link S3DestinationConfig} and {@link AwsClientConfig}. Values are validated
   * together in {@link #build()}.
   */
  public static final class Builder {
    private String bucket;
    private String prefix = "";
    private AwsClientConfig.Builder aws = AwsClientConfig.builder();
    private Boolean pathStyle;
    private StorageClass storageClass;
    private StorageClass fullStorageClass;
    private StorageClass incrementalStorageClass;
    private S3ObjectLock objectLock;
    private ServerSideEncryption serverSideEncryption;
    private String kmsKeyId;
    private long partSizeBytes = S3DestinationConfig.DEFAULT_PART_SIZE;
    private int parallelism = 2;
    private Duration restoreWait = Duration.ofHours(6);
    private Duration restorePoll = Duration.ofMinutes(1);
    private int restoreDays = 1;
    private Tier restoreTier = Tier.STANDARD;
    private WaitListener waits = WaitListener.NONE;
    private boolean conditionalWrites = true;

    private Builder() {}

    /** The bucket ({@code S3BucketName}); required. */
    public Builder bucket(String bucket) {
      this.bucket = bucket;
      return this;
    }

    /** The key prefix ({@code S3RemoteFolderName}); slashes are normalised. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /**
     * Changes the AWS client settings: region (default {@code us-east-1}), an S3-compatible
     * endpoint, credentials (default: the AWS default chain), retries and timeouts.
     */
    public Builder aws(Consumer<AwsClientConfig.Builder> settings) {
      settings.accept(aws);
      return this;
    }

    /** Uses {@code aws} as the AWS client settings. */
    public Builder aws(AwsClientConfig.Builder aws) {
      this.aws = requireNonNull(aws, "aws is null");
      return this;
    }

    /**
     * Whether the bucket is addressed in the path instead of the host name; default: true with an
     * endpoint override (what S3-compatible stores expect), false on AWS.
     */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /** The storage class of uploads, such as {@code STANDARD_IA}, {@code GLACIER_IR}. */
    public Builder storageClass(StorageClass storageClass) {
      this.storageClass = storageClass;
      return this;
    }

    /**
     * Storage classes by file type, each overriding {@link #storageClass} (null keeps it): for
     * example fulls to {@code GLACIER_IR} and incrementals to {@code STANDARD}.
     */
    public Builder storageClasses(StorageClass full, StorageClass incremental) {
      this.fullStorageClass = full;
      this.incrementalStorageClass = incremental;
      return this;
    }

    /** Locks every uploaded object with S3 Object Lock; null for none (the default). */
    public Builder objectLock(S3ObjectLock objectLock) {
      this.objectLock = objectLock;
      return this;
    }

    /** SSE-S3 ({@code AES256}) or SSE-KMS ({@code aws:kms}, optionally with a key id). */
    public Builder serverSideEncryption(ServerSideEncryption sse, String kmsKeyId) {
      this.serverSideEncryption = sse;
      this.kmsKeyId = kmsKeyId;
      return this;
    }

    /** The multipart part size in bytes: at least 5 MiB, default 16 MiB. */
    public Builder partSizeBytes(long partSizeBytes) {
      this.partSizeBytes = partSizeBytes;
      return this;
    }

    /** How many parts are uploaded at once, default 2. */
    public Builder parallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    /** How long {@code open} waits for an archive restore, polling every {@code poll}. */
    public Builder restoreWait(Duration wait, Duration poll) {
      this.restoreWait = wait;
      this.restorePoll = poll;
      return this;
    }

    /** Restore requests: how many days the copy lasts, and the retrieval tier. */
    public Builder restoreRequest(int days, Tier tier) {
      this.restoreDays = days;
      this.restoreTier = tier;
      return this;
    }

    /**
     * Whether the store checks {@code If-None-Match} and {@code If-Match} on {@code PutObject}
     * atomically, as AWS S3 and moto do (default true); false declares no conditional writes.
     */
    public Builder conditionalWrites(boolean conditionalWrites) {
      this.conditionalWrites = conditionalWrites;
      return this;
    }

    /** Who hears of waits for archive restores, default nobody. */
    public Builder waitListener(WaitListener waits) {
      this.waits = requireNonNull(waits, "waits is null");
      return this;
    }

    /**
     * Validates the configuration and opens the client.
     *
     * @throws org.periodicbackups.api.ConfigurationException listing every invalid value
     */
    public S3Destination build() {
      S3DestinationConfig config =
          aws.buildInto(
              client ->
                  new S3DestinationConfig(
                      bucket,
                      prefix,
                      client,
                      pathStyle != null ? pathStyle : client.endpoint() != null,
                      storageClass,
                      serverSideEncryption,
                      kmsKeyId,
                      partSizeBytes,
                      parallelism,
                      restoreWait,
                      restorePoll,
                      restoreDays,
                      restoreTier,
                      fullStorageClass,
                      incrementalStorageClass,
                      objectLock));
      S3ClientBuilder s3 =
          AwsClients.configure(S3Client.builder(), config.aws(), config.parallelism() + 8)
              .forcePathStyle(config.pathStyle());
      return new S3Destination(config, s3.build(), waits, conditionalWrites);
    }
  }
}
