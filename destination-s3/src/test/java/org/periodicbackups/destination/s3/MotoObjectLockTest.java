package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.aws.AwsClientConfig;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationReport;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Chain-aware S3 Object Lock through the real engine against moto, which implements Object Lock
 * (locked versions refuse deletes, HeadObject reports the retain-until date). Runs when {@code
 * PBK_MOTO_ENDPOINT} is set ({@code .ci/with-moto.sh}).
 */
class MotoObjectLockTest {
  private static final String DATABASE = "shop";
  private static final String LOCKED_BUCKET = "pbk-moto-locked";
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  @TempDir Path temp;

  private S3Target target;
  private S3Client raw;
  private SqliteStore store;
  private SqliteDatabase source;
  private String prefix;
  private final S3DestinationProvider provider = new S3DestinationProvider();

  @BeforeEach
  void open() throws IOException {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: moto tests skipped (.ci/with-moto.sh starts moto)");
    target =
        new S3Target(
            URI.create(endpoint.strip()), "pbk-moto-key", "pbk-moto-secret", LOCKED_BUCKET);
    raw = target.rawClient();
    if (raw.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(LOCKED_BUCKET))) {
      raw.createBucket(b -> b.bucket(LOCKED_BUCKET).objectLockEnabledForBucket(true));
    }
    prefix = "locked-" + PREFIXES.incrementAndGet() + "-" + System.nanoTime();
    store = new SqliteStore(temp.resolve("data"));
    source = store.create(DATABASE, Map.of());
    source.putSetting(AwsClientConfig.ACCESS_KEY_SETTING, target.accessKey());
    source.putSecuredSetting(AwsClientConfig.SECRET_KEY_SETTING, target.secretKey());
  }

  @AfterEach
  void close() throws IOException {
    if (store != null) {
      store.close();
    }
    if (raw != null) {
      raw.close();
    }
  }

  @Test
  @DisplayName("a bucket without Object Lock is refused when the setup is checked, naming the fix")
  void bucketWithoutObjectLockIsRefused() throws IOException {
    String plainBucket = "pbk-moto-unlocked";
    if (raw.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(plainBucket))) {
      raw.createBucket(b -> b.bucket(plainBucket));
    }
    DestinationContext context =
        new DestinationContext(
            DATABASE,
            SetupDocuments.parse(setupJson(plainBucket, "\"RetentionKeepChains\": 1")),
            source::setting);
    assertThatThrownBy(
            () -> DestinationReport.of(DestinationRegistry.of(List.of(provider)), context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ObjectLockMode: GOVERNANCE asks to lock every file")
        .hasMessageContaining("bucket '" + plainBucket + "'")
        .hasMessageContaining("Object Lock is not enabled on it")
        .hasMessageContaining("put-object-lock-configuration");
    // The same setup on the locked bucket passes the check.
    DestinationReport report =
        DestinationReport.of(
            DestinationRegistry.of(List.of(provider)),
            new DestinationContext(
                DATABASE,
                SetupDocuments.parse(setupJson(LOCKED_BUCKET, "\"RetentionKeepChains\": 1")),
                source::setting));
    assertThat(report.locationOf("s3").orElseThrow())
        .containsEntry("object lock", "GOVERNANCE for 1 day(s)");
  }

  @Test
  @DisplayName(
      "every file is locked, earlier files of a chain are extended to the newest's date,"
          + " and retention keeps locked chains as retained, then removes every version")
  void chainAwareLocks() throws Exception {
    source.putSystemDocument(
        SystemDocuments.SETUP_KEY, setupJson(LOCKED_BUCKET, "\"RetentionKeepChains\": 1"));
    // The first files are named two days ago, as if the chain had been started then.
    BackupEngine earlier = engine(Clock.offset(Clock.systemUTC(), Duration.ofDays(-2)));
    write(1);
    BackupRecord full = backUp(earlier, true);
    write(2);
    BackupRecord first = backUp(earlier, false);
    Instant uploaded = Instant.now();
    for (BackupRecord file : List.of(full, first)) {
      HeadObjectResponse head = head(file.fileName());
      assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
      assertThat(head.objectLockRetainUntilDate())
          .as("locked for the period, rounded up to the end of a UTC day")
          .isAfter(uploaded.plus(Duration.ofDays(1)))
          .isBeforeOrEqualTo(uploaded.plus(Duration.ofDays(2)));
    }
    assertThatThrownBy(
            () ->
                raw.deleteObject(
                    b ->
                        b.bucket(LOCKED_BUCKET)
                            .key(key(full.fileName()))
                            .versionId(head(full.fileName()).versionId())))
        .as("a locked version cannot be deleted")
        .hasMessageContaining("403");

    // The full's lock is set back, as if it had been uploaded two days ago; the chain grows.
    shortenLock(full.fileName(), Instant.now().plus(Duration.ofHours(1)));
    BackupEngine now = engine(Clock.systemUTC());
    write(3);
    BackupRecord second = backUp(now, false);
    Instant newest = head(second.fileName()).objectLockRetainUntilDate();
    for (BackupRecord file : List.of(full, first)) {
      assertThat(head(file.fileName()).objectLockRetainUntilDate())
          .as("%s is locked at least as long as the newest file of its chain", file.fileName())
          .isAfterOrEqualTo(newest);
    }

    // A new chain: retention would drop the old one, but it is locked, so it is retained.
    write(4);
    backUp(now, true);
    List<String> oldChain = List.of(full.fileName(), first.fileName(), second.fileName());
    assertThat(keys()).containsAll(oldChain.stream().map(this::key).toList());

    // Once its locks have passed, the next run removes every version of the old chain's files.
    for (String name : oldChain) {
      shortenLock(name, Instant.now().minus(Duration.ofMinutes(1)));
    }
    write(5);
    BackupRecord latest = backUp(now, false);
    assertThat(keys()).doesNotContainAnyElementsOf(oldChain.stream().map(this::key).toList());
    for (String name : oldChain) {
      assertThat(raw.listObjectVersions(b -> b.bucket(LOCKED_BUCKET).prefix(key(name))).versions())
          .as("no version of %s stays behind a delete marker", name)
          .isEmpty();
    }

    // The new chain restores equal to the source.
    try (S3Destination s3 = target.builder().prefix(prefix).build();
        SqliteStore restored = new SqliteStore(temp.resolve("restored"))) {
      SqliteDatabase copy = restored.create(DATABASE, Map.of());
      new ChainRestorer()
          .restore(
              s3, new ChainRestorer().plan(s3, new RestoreRequest(DATABASE, "", null, null)), copy);
      assertThat(DatabaseContents.of(source).differenceFrom(DatabaseContents.of(copy))).isNull();
    }
    assertThat(latest.fileName()).contains(".incremental.");
  }

  private BackupEngine engine(Clock clock) {
    return new BackupEngine(
        new DestinationResolver(DestinationRegistry.of(List.of(provider))),
        temp.resolve("work"),
        clock);
  }

  private BackupRecord backUp(BackupEngine engine, boolean full) throws IOException {
    BackupOutcome outcome = engine.run(source, new BackupRequest(full, true));
    assertThat(outcome.backup()).as(outcome.message()).isPresent();
    return outcome.backup().get();
  }

  private void write(int round) throws IOException {
    for (int i = 0; i < 20; i++) {
      source.putDocument("orders/" + round + "-" + i, "{}", "{\"Round\": " + round + "}");
    }
    if (round > 1) {
      source.deleteDocument("orders/" + (round - 1) + "-0");
    }
  }

  /** Sets a lock to {@code until}, with the governance bypass an administrator has. */
  private void shortenLock(String name, Instant until) {
    raw.putObjectRetention(
        b ->
            b.bucket(LOCKED_BUCKET)
                .key(key(name))
                .bypassGovernanceRetention(true)
                .retention(
                    r ->
                        r.mode(ObjectLockRetentionMode.GOVERNANCE)
                            .retainUntilDate(until.truncatedTo(ChronoUnit.SECONDS))));
  }

  private HeadObjectResponse head(String name) {
    return raw.headObject(b -> b.bucket(LOCKED_BUCKET).key(key(name)));
  }

  private String key(String name) {
    return prefix + "/" + name;
  }

  private List<String> keys() {
    return raw
        .listObjectsV2Paginator(b -> b.bucket(LOCKED_BUCKET).prefix(prefix + "/"))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  private String setupJson(String bucket, String extra) {
    return "{\"S3BucketName\": \""
        + bucket
        + "\", \"S3RemoteFolderName\": \""
        + prefix
        + "\", \"Destinations\": {\"s3\": {\"Endpoint\": \""
        + target.endpoint()
        + "\", \"ObjectLockMode\": \"GOVERNANCE\", \"ObjectLockDays\": \"1\"}},"
        + " \"Compression\": \"gzip\", "
        + extra
        + "}";
  }
}
