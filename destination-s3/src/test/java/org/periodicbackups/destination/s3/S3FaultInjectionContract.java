package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.periodicbackups.api.config.BackupError;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.aws.AwsClientConfig;
import org.periodicbackups.aws.FaultProxy;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.lease.LeaseDocument;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Real backups through the real engine, with the S3 destination talking to an S3 server through a
 * {@link FaultProxy}: a source database in SQLite, 5 MiB parts, 3 attempts per request and a
 * 2-second attempt timeout, so that a few MiB make a multipart upload and a stall costs seconds.
 * Subclasses name the server.
 */
abstract class S3FaultInjectionContract {
  static final int MIB = 1024 * 1024;
  static final int MAX_ATTEMPTS = 3;

  /** Where faulty reads cut the body. */
  static final int CUT = 256 * 1024;

  static final String DATABASE = "shop";
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  @TempDir Path temp;
  S3Target target;
  FaultProxy proxy;
  String prefix;
  SqliteStore store;
  SqliteDatabase source;
  BackupEngine engine;
  S3Client raw;
  private final S3DestinationProvider provider = new S3DestinationProvider();
  private int restores;

  /** The server behind the proxy, with its bucket; may skip the test. */
  abstract S3Target server();

  @BeforeEach
  void open(TestInfo test) throws IOException {
    target = server();
    proxy = new FaultProxy(target.endpoint());
    prefix =
        "faults/" + test.getTestMethod().orElseThrow().getName() + "-" + PREFIXES.incrementAndGet();
    store = new SqliteStore(temp.resolve("data"));
    source = store.create(DATABASE, Map.of());
    source.putSetting(AwsClientConfig.ACCESS_KEY_SETTING, target.accessKey());
    source.putSecuredSetting(AwsClientConfig.SECRET_KEY_SETTING, target.secretKey());
    source.putSystemDocument(SystemDocuments.SETUP_KEY, setupJson(proxy.endpoint().toString()));
    engine =
        new BackupEngine(
            new DestinationResolver(DestinationRegistry.of(List.of(provider))),
            temp.resolve("work"),
            new SteppingClock());
    raw = target.rawClient();
  }

  @AfterEach
  void close() throws Exception {
    if (proxy == null) {
      return; // skipped
    }
    proxy.close();
    store.close();
    for (S3Object object : objects()) {
      raw.deleteObject(b -> b.bucket(target.bucket()).key(object.key()));
    }
    raw.close();
  }

  // ---- uploads ----

  /** Faults on one part of a multipart upload, and how the final error must describe them. */
  enum PartFault {
    SLOW_DOWN(FaultProxy.slowDown(), "S3 answered 503 SlowDown 3 times"),
    INTERNAL_ERROR(FaultProxy.internalError(), "S3 answered 500 InternalError 3 times"),
    RESET_MID_PART(FaultProxy.resetAfter(MIB), "the connection failed ("),
    STALL(FaultProxy.stall(), "no answer within AttemptTimeoutSeconds (2 s)");

    final FaultProxy.Fault fault;
    final String described;

    PartFault(FaultProxy.Fault fault, String described) {
      this.fault = fault;
      this.described = described;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PartFault.class)
  @DisplayName(
      "a part failing fewer times than MaxAttempts is retried (object whole, status"
          + " advanced); failing at every attempt, the run fails clearly (status kept, upload aborted,"
          + " no object) and the next run backs up everything")
  void faultOnPart(PartFault fault) throws IOException {
    faultThenRecovery(
        fault.fault,
        FaultProxy.uploadPart(2),
        6,
        List.of(
            fault.described,
            "part 2 of 2 of s3://" + target.bucket() + "/" + prefix + "/shop/",
            "gave up after 3 attempts (MaxAttempts)",
            "the multipart upload was aborted"));
  }

  /**
   * Backs up with {@code fault} injected {@code MaxAttempts - 1} times (it must succeed), then with
   * it injected at every attempt (it must fail with {@code described} and change nothing), then
   * without it (it must cover everything, and the chain restores to the source). The last runs are
   * full backups, so that the same few MiB make a multipart upload again.
   */
  private void faultThenRecovery(
      FaultProxy.Fault fault,
      Predicate<FaultProxy.Request> when,
      int attachmentMiB,
      List<String> described)
      throws IOException {
    write(1, 40, attachmentMiB);
    long etag = source.lastEtag();
    FaultProxy.Rule transientRule = proxy.inject(fault, when, MAX_ATTEMPTS - 1);
    BackupRecord record = backUp();
    assertThat(transientRule.hits())
        .as("faults injected: %s", transientRule.hitRequests())
        .isEqualTo(MAX_ATTEMPTS - 1);
    assertThat(storedSha256(record)).as("the object equals the file").isEqualTo(record.sha256());
    assertThat(status().coveredEtag()).as("status advanced").isEqualTo(etag);
    assertThat(status().lastError()).isNull();

    write(2, 20, 0);
    PeriodicBackupStatus before = status();
    List<String> objectsBefore = objects().stream().map(S3Object::key).toList();
    FaultProxy.Rule persistent = proxy.inject(fault, when, 1000);
    Throwable thrown = failingBackUp(true);
    assertThat(persistent.hits())
        .as("faults injected: %s", persistent.hitRequests())
        .isEqualTo(MAX_ATTEMPTS);
    assertThat(thrown.getMessage()).contains(described).doesNotContain(target.secretKey());
    assertStatusKept(before, thrown);
    assertThat(objects().stream().map(S3Object::key).toList())
        .as("no new object")
        .isEqualTo(objectsBefore);
    assertThat(pendingUploads()).as("no orphaned multipart upload").isEmpty();

    proxy.clear();
    write(3, 10, 0);
    backUp(true);
    assertThat(status().lastError()).isNull();
    write(4, 10, 0);
    backUp(false);
    assertRestoreEqualsSource();
  }

  /**
   * Requests of a backup other than parts, and what the error says. (The SDK drops the attempt
   * count from HEAD errors, which have no body: the message cannot say how often it tried.)
   */
  enum RequestFault {
    PUT_OBJECT(
        r -> r.method().equals("PUT") && r.partNumber() == 0 && !isLease(r),
        0,
        "S3 answered 500 InternalError 3 times for the upload of s3://"),
    /** The backup lease's conditional writes (taking it, renewing it before and after uploads). */
    LEASE_WRITE(
        r -> r.method().equals("PUT") && isLease(r),
        0,
        "S3 answered 500 InternalError 3 times for the conditional write of s3://"),
    CREATE_MULTIPART(
        r -> r.method().equals("POST") && r.query().equals("uploads"),
        6,
        "S3 answered 500 InternalError 3 times for the upload of s3://"),
    COMPLETE_MULTIPART(
        r -> r.method().equals("POST") && r.query().startsWith("uploadId="),
        6,
        "S3 answered 500 InternalError 3 times for the upload of s3://"),
    VERIFY_SIZE(
        r -> r.method().equals("HEAD"),
        0,
        "S3 answered 500 for the size check after upload of s3://");

    private static boolean isLease(FaultProxy.Request r) {
      return r.path().endsWith("/" + LeaseDocument.FILE_NAME);
    }

    final Predicate<FaultProxy.Request> when;
    final int attachmentMiB;
    final String described;

    RequestFault(Predicate<FaultProxy.Request> when, int attachmentMiB, String described) {
      this.when = when;
      this.attachmentMiB = attachmentMiB;
      this.described = described;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(RequestFault.class)
  @DisplayName(
      "500 on any other request of an upload: retried while attempts remain, else a"
          + " clear failure that changes nothing; the next run covers it")
  void faultOnOtherRequests(RequestFault fault) throws IOException {
    faultThenRecovery(
        FaultProxy.internalError(),
        fault.when,
        fault.attachmentMiB,
        List.of(fault.described + target.bucket() + "/" + prefix + "/shop/"));
  }

  private void assertStatusKept(PeriodicBackupStatus before, Throwable thrown) throws IOException {
    PeriodicBackupStatus after = status();
    assertThat(
            List.of(
                after.lastDocsEtag(),
                after.lastAttachmentsEtag(),
                after.lastDocsDeletionEtag(),
                after.lastAttachmentDeletionEtag()))
        .as("status etags after a failed run")
        .isEqualTo(
            List.of(
                before.lastDocsEtag(),
                before.lastAttachmentsEtag(),
                before.lastDocsDeletionEtag(),
                before.lastAttachmentDeletionEtag()));
    assertThat(after.history()).isEqualTo(before.history());
    assertThat(after.lastError())
        .as("LastError")
        .extracting(BackupError::message)
        .isEqualTo(thrown.getMessage());
  }

  // ---- continuous backup ----

  @Test
  @DisplayName(
      "compaction works through S3 on a chain listed past the first page (1,000 keys): merged"
          + " files are written and the merged ones removed, and the chain restores the source")
  void compactionWorksPastTheFirstListingPage() throws IOException {
    source.putSystemDocument(
        SystemDocuments.SETUP_KEY,
        setupJson(proxy.endpoint().toString())
            .replaceFirst(
                "}$",
                ", \"CompactionMilliseconds\": [600000, 3600000],"
                    + " \"CompactionKeepMilliseconds\": [0, 0]}"));
    ExecutorService puts = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 1_001; i++) {
        String key = prefix + "/" + DATABASE + "/0-filler-" + i; // sorts before the chain's folder
        done.add(
            puts.submit(
                () ->
                    raw.putObject(
                        b -> b.bucket(target.bucket()).key(key), RequestBody.fromString("x"))));
      }
      for (Future<?> put : done) {
        put.get();
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("storing the filler objects failed", e);
    } finally {
      puts.shutdownNow();
    }
    backUp(true);
    for (int round = 1; round <= 20; round++) {
      write(round, 3, 0);
      backUp();
    }
    List<String> keys = objects().stream().map(S3Object::key).toList();
    assertThat(keys).anyMatch(k -> k.contains(".level1.")).anyMatch(k -> k.contains(".level2."));
    long fine =
        keys.stream()
            .filter(k -> k.endsWith(".incremental.json.gz") && !k.contains(".level"))
            .count();
    assertThat(fine).as("incrementals left once merged").isLessThan(20);
    assertRestoreEqualsSource();
  }

  // ---- restore reads ----

  /**
   * Faults on the GET of a backup file during a restore. The backups are written under a lease, so
   * the restore's plan first reads each file's header for its fencing token (docs/DESIGN.md, "One
   * writer per chain"): one more GET, which ends before a fault that strikes after {@code CUT}
   * bytes and fails on a 500 like any read.
   */
  enum ReadFault {
    INTERNAL_ERROR(FaultProxy.internalError(), "S3 answered 500 InternalError 3 times", 0),
    BODY_CUT_SHORT(FaultProxy.truncateResponse(CUT), "failed after " + 3 * CUT + " of", 1),
    RESET_MID_BODY(FaultProxy.resetResponseAfter(CUT), "failed after", 1);

    final FaultProxy.Fault fault;
    final String described;
    final int headerReads;

    ReadFault(FaultProxy.Fault fault, String described, int headerReads) {
      this.fault = fault;
      this.described = described;
      this.headerReads = headerReads;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ReadFault.class)
  @DisplayName(
      "a read failing fewer times than MaxAttempts is retried or resumed (the restore"
          + " equals the source); failing at every attempt, the restore is refused naming the file"
          + " and writes nothing")
  void faultOnRestoreRead(ReadFault fault) throws IOException {
    String full = backUpChain();
    FaultProxy.Rule transientRule =
        proxy.inject(fault.fault, FaultProxy.getObject(full), MAX_ATTEMPTS - 1);
    SqliteDatabase restored = emptyTarget();
    try (BackupDestination destination = destination(true)) {
      restore(destination, restored);
    }
    assertThat(transientRule.hits()).isEqualTo(MAX_ATTEMPTS - 1);
    assertThat(DatabaseContents.of(source).differenceFrom(DatabaseContents.of(restored)))
        .as("the restore through faults differs from the source")
        .isNull();

    FaultProxy.Rule persistent = proxy.inject(fault.fault, FaultProxy.getObject(full), 1000);
    SqliteDatabase untouched = emptyTarget();
    Throwable thrown;
    try (BackupDestination destination = destination(true)) {
      thrown = catchThrowable(() -> restore(destination, untouched));
    }
    assertThat(persistent.hits())
        .as("faults injected: %s", persistent.hitRequests())
        .isEqualTo(fault.headerReads + MAX_ATTEMPTS);
    assertThat(thrown).isInstanceOf(IOException.class);
    assertThat(thrown.getMessage()).contains(full, fault.described);
    assertThat(documentsAndAttachments(untouched)).as("nothing written to the target").isZero();
    proxy.clear();
    assertRestoreEqualsSource();
  }

  /** A full backup of 2 MiB and an incremental; returns the full file's name. */
  private String backUpChain() throws IOException {
    write(1, 40, 2);
    String full = backUp().fileName();
    write(2, 20, 0);
    backUp();
    return full;
  }

  private String setupJson(String endpoint) {
    return "{\"S3BucketName\": \""
        + target.bucket()
        + "\", \"S3RemoteFolderName\": \""
        + prefix
        + "\", \"Destinations\": {\"s3\": {\"Endpoint\": \""
        + endpoint
        + "\","
        + " \"PartSizeMiB\": \"5\", \"MaxAttempts\": \""
        + MAX_ATTEMPTS
        + "\","
        + " \"AttemptTimeoutSeconds\": \"2\", \"CallTimeoutSeconds\": \"30\"}},"
        + " \"Compression\": \"gzip\", \"CompressionLevel\": 1}";
  }

  /**
   * Writes {@code documents} documents and one attachment of {@code attachmentMiB} MiB of
   * incompressible bytes (seeded by {@code round}), so that the dump is about that large.
   */
  void write(int round, int documents, int attachmentMiB) throws IOException {
    for (int i = 0; i < documents; i++) {
      source.putDocument(
          "orders/" + round + "-" + i,
          "{}",
          "{\"Round\": " + round + ", \"Line\": " + i + ", \"Note\": \"ünïcode ✓\"}");
    }
    if (round > 1) {
      source.deleteDocument("orders/" + (round - 1) + "-0");
    }
    if (attachmentMiB > 0) {
      byte[] data = new byte[attachmentMiB * MIB];
      new Random(round).nextBytes(data);
      source.putAttachment("scans/" + round, "{}", new ByteArrayInputStream(data));
    }
  }

  /** Runs the engine once; it must back up a file. */
  BackupRecord backUp() throws IOException {
    return backUp(false);
  }

  /** Runs the engine once, a full backup if {@code full}; it must back up a file. */
  BackupRecord backUp(boolean full) throws IOException {
    BackupOutcome outcome = engine.run(source, new BackupRequest(full, true));
    assertThat(outcome.backup()).as(outcome.message()).isPresent();
    return outcome.backup().get();
  }

  /** Runs the engine once expecting a failure; returns it. */
  Throwable failingBackUp(boolean full) {
    Throwable thrown = catchThrowable(() -> engine.run(source, new BackupRequest(full, true)));
    assertThat(thrown).as("the run with a persistent fault fails").isInstanceOf(IOException.class);
    return thrown;
  }

  PeriodicBackupStatus status() throws IOException {
    return source
        .getSystemDocument(SystemDocuments.STATUS_KEY)
        .map(StatusDocuments::parse)
        .orElse(PeriodicBackupStatus.initial());
  }

  /** The objects under this test's prefix, straight from the server. */
  List<S3Object> objects() {
    return raw
        .listObjectsV2Paginator(b -> b.bucket(target.bucket()).prefix(prefix + "/"))
        .contents()
        .stream()
        .toList();
  }

  /** Multipart uploads the server still holds under this test's prefix. */
  List<String> pendingUploads() {
    return raw
        .listMultipartUploads(b -> b.bucket(target.bucket()).prefix(prefix + "/"))
        .uploads()
        .stream()
        .map(u -> u.key() + " " + u.uploadId())
        .toList();
  }

  /** The SHA-256 of an object as the server holds it. */
  String storedSha256(BackupRecord record) throws IOException {
    try (InputStream in =
        raw.getObject(b -> b.bucket(target.bucket()).key(prefix + "/" + record.fileName()))) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The destination as a restore creates it: through the proxy, or straight to the server. */
  BackupDestination destination(boolean throughProxy) throws IOException {
    String endpoint = (throughProxy ? proxy.endpoint() : target.endpoint()).toString();
    DestinationContext context =
        new DestinationContext(
            DATABASE, SetupDocuments.parse(setupJson(endpoint)), source::setting);
    return provider.create(context);
  }

  /** A new empty database to restore into. */
  SqliteDatabase emptyTarget() throws IOException {
    return store.create("restored-" + ++restores, Map.of());
  }

  /** Restores the newest chain from {@code destination} into {@code target}. */
  static void restore(BackupDestination destination, SqliteDatabase target) throws IOException {
    ChainRestorer restorer = new ChainRestorer();
    restorer.restore(
        destination, restorer.plan(destination, RestoreRequest.latest(DATABASE)), target);
  }

  /** Restores straight from the server and compares with the source. */
  void assertRestoreEqualsSource() throws IOException {
    SqliteDatabase target = emptyTarget();
    try (BackupDestination direct = destination(false)) {
      restore(direct, target);
    }
    assertThat(DatabaseContents.of(source).differenceFrom(DatabaseContents.of(target)))
        .as("the restore of the chain differs from the source")
        .isNull();
  }

  static long documentsAndAttachments(SqliteDatabase db) throws IOException {
    return db.documentCount() + db.attachmentCount();
  }

  /** A UTC clock one minute further at every read: distinct, ordered file names. */
  private static final class SteppingClock extends Clock {
    private final AtomicLong reads = new AtomicLong();

    @Override
    public Instant instant() {
      return Instant.parse("2026-11-28T12:00:00Z")
          .plus(Duration.ofMinutes(reads.getAndIncrement()));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
