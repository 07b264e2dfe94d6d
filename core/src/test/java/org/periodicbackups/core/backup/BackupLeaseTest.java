package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.DumpWriter;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.dump.LeaseFence;
import org.periodicbackups.core.lease.LeaseDocument;
import org.periodicbackups.core.lease.LeaseException;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestorePlan;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.VerificationReport;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import org.periodicbackups.testing.GateProvider;
import org.periodicbackups.testing.TestClock;

/**
 * One writer per chain (docs/DESIGN.md, "One writer per chain"): writers of one database name with
 * their own data folders share one backup folder, the filesystem destination's conditional writes
 * hold the lease. The two-process runs are in the command line's tests.
 */
class BackupLeaseTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path temp;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void closeAll() throws Exception {
    executor.shutdownNow();
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** A writer with its own data folder and clock. */
  private final class Node implements AutoCloseable {
    final SqliteStore store;
    final SqliteDatabase db;
    final TestClock clock;
    final BackupEngine engine;

    Node(String name, Instant start, GateProvider gate) throws IOException {
      store = new SqliteStore(temp.resolve(name).resolve("data"));
      db = store.create("shop", Map.of());
      clock = new TestClock(start);
      DestinationRegistry registry =
          DestinationRegistry.of(List.of(new FilesystemDestinationProvider(), gate));
      engine =
          new BackupEngine(
              new DestinationResolver(registry), temp.resolve(name).resolve("work"), clock);
      open.add(this);
    }

    void setup(String extra) throws IOException {
      db.putSystemDocument(
          SystemDocuments.SETUP_KEY,
          "{\"LocalFolderName\": " + BackupWorld.quote(backups().toString()) + extra + "}");
    }

    BackupOutcome run() throws IOException {
      clock.advance(Duration.ofSeconds(1));
      return engine.run(db, BackupRequest.SCHEDULED);
    }

    BackupRecord backUp() throws IOException {
      return run().backup().orElseThrow();
    }

    @Override
    public void close() throws IOException {
      engine.close();
      store.close();
    }
  }

  private Path backups() {
    return temp.resolve("backups");
  }

  private GateProvider gate() {
    return new GateProvider("flaky", temp.resolve("remote"));
  }

  @Test
  void aSecondWriterFailsNamingTheHolderAndTakesOverWithANewChainOnceTheLeaseIsGivenUp()
      throws IOException {
    Node a = new Node("a", T0, gate());
    Node b = new Node("b", T0, gate());
    a.setup("");
    b.setup("");
    a.db.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
    BackupRecord aFull = a.backUp();
    a.db.putDocument("users/2", "{}", "{\"Name\":\"Bob\"}");
    BackupRecord aIncremental = a.backUp();
    assertThat(aIncremental.type()).isEqualTo(BackupType.INCREMENTAL);
    assertThat(aIncremental.leaseToken()).isEqualTo(1L);

    b.db.putDocument("orders/1", "{}", "{}");
    assertThatThrownBy(b::run)
        .isInstanceOf(LeaseException.class)
        .hasMessageContaining("the backup lease of database 'shop' at")
        .hasMessageContaining("is held by ")
        .hasMessageContaining("(process " + ProcessHandle.current().pid() + ")")
        .hasMessageContaining(temp.resolve("a").resolve("data").toString())
        .hasMessageContaining("token 1")
        .hasMessageContaining("expires at")
        .hasMessageContaining("LeaseWaitMilliseconds is 0");
    assertThat(StatusDocuments.read(b.db).lastError().message()).contains("is held by");
    assertThat(backupFiles()).containsExactly(aFull.fileName(), aIncremental.fileName());

    a.engine.close(); // gives the lease up: b need not wait for it to expire
    assertThat(lease().released()).isTrue();
    BackupRecord bFull = b.backUp();
    assertThat(bFull.leaseToken()).isEqualTo(2L);
    assertThat(tokenOf(bFull)).isEqualTo(2L);
    assertThat(lease().writer())
        .endsWith(temp.resolve("b").resolve("data").resolve("shop.db").toString());

    a.db.putDocument("users/3", "{}", "{}");
    assertThatThrownBy(a::run).isInstanceOf(LeaseException.class).hasMessageContaining("token 2");
    b.engine.close();

    BackupRecord aAgain = a.backUp();
    assertThat(aAgain.type())
        .as("b held the lease since a's last file, so a starts a new chain")
        .isEqualTo(BackupType.FULL);
    assertThat(tokenOf(aAgain)).isEqualTo(3L);
    assertThat(tokenOf(aFull)).isEqualTo(1L);
    assertThat(restoreLatest()).isEqualTo(DatabaseContents.of(a.db));
  }

  @Test
  void aWriterWaitsForTheLeaseWhenTheSetupSaysSo() throws Exception {
    Node a = new Node("a", T0, gate());
    Node b = new Node("b", T0, gate());
    a.setup("");
    b.setup(", \"LeaseWaitMilliseconds\": 20000");
    a.db.putDocument("users/1", "{}", "{}");
    a.backUp();
    b.db.putDocument("orders/1", "{}", "{}");
    Future<BackupOutcome> waiting = executor.submit(b::run);
    Thread.sleep(300);
    assertThat(waiting).as("b waits while a holds the lease").isNotDone();
    a.engine.close();
    BackupRecord bFull = waiting.get().backup().orElseThrow();
    assertThat(bFull.leaseToken()).isEqualTo(2L);
    assertThat(restoreLatest()).isEqualTo(DatabaseContents.of(b.db));
  }

  @Test
  void aWriterPausedPastItsLeaseRemovesWhatItUploadedAndTheChainStaysTheNewHolders()
      throws Exception {
    GateProvider gate = gate();
    Node a = new Node("a", T0, gate);
    // b's clock is an hour ahead: to b, a's lease expired long ago, as if a had been paused.
    Node b = new Node("b", T0.plus(Duration.ofHours(1)), gate);
    a.setup(", \"Destinations\": {\"flaky\": {}}, \"LeaseDurationMilliseconds\": 1000");
    b.setup(", \"LeaseDurationMilliseconds\": 1000");
    a.db.putDocument("users/1", "{}", "{}");
    BackupRecord aFull = a.backUp();
    a.db.putDocument("users/2", "{}", "{}");
    gate.hold();
    Future<BackupOutcome> paused = executor.submit(a::run);
    gate.awaitUploadWaiting(); // a's local copy is stored; a waits in its remote upload

    b.db.putDocument("orders/1", "{}", "{}");
    BackupRecord bFull = b.backUp();
    assertThat(bFull.leaseToken()).isEqualTo(2L);
    gate.letThrough();

    assertThatThrownBy(paused::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(LeaseException.class)
        .hasMessageContaining("was taken over");
    assertThat(StatusDocuments.read(a.db).history()).containsExactly(aFull);
    assertThat(backupFiles())
        .as("a's incremental was removed again")
        .containsExactlyInAnyOrder(aFull.fileName(), bFull.fileName());
    assertThat(gate.uploads()).isEqualTo(2);
    try (Stream<Path> remote = Files.walk(temp.resolve("remote"))) {
      assertThat(remote.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .containsExactly(Path.of(aFull.fileName()).getFileName().toString());
    }
    assertThat(restoreLatest()).isEqualTo(DatabaseContents.of(b.db));
  }

  @Test
  void restoreIgnoresAndReportsAFileWrittenUnderALowerTokenThanTheFileBeforeIt() throws Exception {
    Node a = new Node("a", T0, gate());
    a.setup("");
    a.db.putDocument("users/1", "{}", "{}");
    a.backUp();
    a.db.putDocument("users/2", "{}", "{}");
    BackupRecord first = a.backUp();
    DatabaseContents atFirst = DatabaseContents.of(a.db);
    // A second engine on the same database is the same writer: it takes the lease over at once,
    // with the next token, and continues the chain.
    BackupEngine other =
        new BackupEngine(
            new DestinationResolver(
                DestinationRegistry.of(List.of(new FilesystemDestinationProvider()))),
            temp.resolve("other-work"),
            a.clock);
    open.add(other);
    a.db.putDocument("users/3", "{}", "{}");
    a.clock.advance(Duration.ofSeconds(1));
    BackupRecord second = other.run(a.db, BackupRequest.SCHEDULED).backup().orElseThrow();
    assertThat(second.type()).isEqualTo(BackupType.INCREMENTAL);
    assertThat(second.leaseToken()).isEqualTo(2L);
    DatabaseContents atSecond = DatabaseContents.of(a.db);

    // What a writer paused under token 1 would leave if it died right after its upload: the next
    // file of the chain, under the old token.
    String stale = plantStaleFile(second, 1);

    RestorePlan plan;
    try (FilesystemDestination destination = new FilesystemDestination(backups())) {
      plan =
          new ChainRestorer(EncryptionKeys.none()).plan(destination, RestoreRequest.latest("shop"));
      VerificationReport report = new ChainRestorer(EncryptionKeys.none()).verifyAll(destination);
      assertThat(report.problems()).singleElement().asString().contains(stale).contains("fenced");
    }
    assertThat(plan.last().storedName()).isEqualTo(second.fileName());
    assertThat(plan.ignoredNames())
        .singleElement()
        .asString()
        .startsWith(stale)
        .contains("fenced: written under lease token 1")
        .contains("under token 2");
    assertThat(restoreLatest()).isEqualTo(atSecond).isNotEqualTo(atFirst);
    assertThat(first.leaseToken()).isEqualTo(1L);
  }

  /** Writes the file after {@code after} in its chain, as a writer under {@code token} would. */
  private String plantStaleFile(BackupRecord after, long token) throws IOException {
    BackupFileName previous = BackupFileName.parse(after.fileName()).orElseThrow();
    Instant created = previous.createdAt().plusSeconds(5);
    String name =
        previous.chainFolder()
            + "/"
            + String.format("%06d", previous.sequence() + 1)
            + "-"
            + BackupFileName.formatTime(created)
            + ".incremental.json.gz";
    DumpHeader header =
        new DumpHeader(
                DumpHeader.FORMAT_VERSION,
                "shop",
                BackupType.INCREMENTAL,
                created,
                after.toEtag(),
                after.toEtag() + 1,
                DumpHeader.CODEC_GZIP,
                after.fileName(),
                after.sha256())
            .withLease(new LeaseFence(token, "paused-host (process 1)"));
    Path file = backups().resolve(name);
    try (OutputStream out = Files.newOutputStream(file);
        DumpWriter writer = DumpWriter.open(out, header)) {
      writer.writeDocument(new Document("users/stale", after.toEtag() + 1, "{}", "{}"));
      writer.finish();
    }
    return name;
  }

  private long tokenOf(BackupRecord record) throws IOException {
    try (InputStream in = Files.newInputStream(backups().resolve(record.fileName()))) {
      return DumpReader.readHeader(in, record.fileName()).leaseToken();
    }
  }

  private LeaseDocument lease() throws IOException {
    return org.periodicbackups.core.config.Json.mapper()
        .readValue(
            backups().resolve(LeaseDocument.objectName("shop")).toFile(), LeaseDocument.class);
  }

  private List<String> backupFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(backups())) {
      return walk.filter(Files::isRegularFile)
          .map(p -> backups().relativize(p).toString().replace('\\', '/'))
          .filter(n -> BackupFileName.parse(n).isPresent())
          .sorted()
          .toList();
    }
  }

  private DatabaseContents restoreLatest() throws IOException {
    try (SqliteStore restored = new SqliteStore(temp.resolve("restored-" + System.nanoTime()));
        FilesystemDestination destination = new FilesystemDestination(backups())) {
      SqliteDatabase target = restored.create("shop", Map.of());
      ChainRestorer restorer = new ChainRestorer(EncryptionKeys.none());
      restorer.restore(
          destination, restorer.plan(destination, RestoreRequest.latest("shop")), target);
      return DatabaseContents.of(target);
    }
  }
}
