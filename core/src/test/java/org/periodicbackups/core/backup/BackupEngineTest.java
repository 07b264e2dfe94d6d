package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.core.backup.BackupOutcome.Result;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.lease.LeaseDocument;
import org.periodicbackups.store.sqlite.DatabaseContents;

class BackupEngineTest {
  @TempDir Path temp;
  BackupWorld world;

  @BeforeEach
  void setUp() throws IOException {
    world = new BackupWorld(temp);
  }

  @AfterEach
  void tearDown() throws IOException {
    world.close();
  }

  private BackupOutcome run() throws IOException {
    world.clock.advance(Duration.ofSeconds(1));
    return world.engine.run(world.db, BackupRequest.SCHEDULED);
  }

  private List<Path> files(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(LeaseDocument.FILE_NAME))
          .filter(p -> !p.getFileName().toString().startsWith(".")) // the destination's lock
          .sorted()
          .toList();
    }
  }

  @Test
  void firstRunIsFullAndLaterRunsContinueTheChain() throws IOException {
    world.setupLocalFolder();
    world.db.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
    world.db.putDocument("users/2", "{}", "{\"Name\":\"Bob\"}");

    BackupRecord full = run().backup().orElseThrow();
    world.db.putDocument("users/3", "{}", "{\"Name\":\"Cid\"}");
    BackupRecord incremental = run().backup().orElseThrow();

    assertThat(full.type()).isEqualTo(BackupType.FULL);
    assertThat(full.fromEtag()).isZero();
    assertThat(full.documents()).isEqualTo(2);
    assertThat(incremental.type()).isEqualTo(BackupType.INCREMENTAL);
    assertThat(incremental.fromEtag()).isEqualTo(full.toEtag());
    assertThat(incremental.documents()).isEqualTo(1);
    BackupFileName first = BackupFileName.parse(full.fileName()).orElseThrow();
    BackupFileName second = BackupFileName.parse(incremental.fileName()).orElseThrow();
    assertThat(second.chainStart()).isEqualTo(first.chainStart());
    assertThat(second.sequence()).isEqualTo(1);
    PeriodicBackupStatus status = world.status();
    assertThat(status.lastDocsEtag()).isEqualTo(incremental.toEtag());
    assertThat(status.lastAttachmentDeletionEtag()).isEqualTo(incremental.toEtag());
    assertThat(status.lastFullBackup()).isEqualTo(full.startedAt());
    assertThat(status.lastBackup()).isEqualTo(incremental.startedAt());
    assertThat(status.history()).containsExactly(full, incremental);
    assertThat(files(world.backups)).hasSize(2);
  }

  @Test
  void runWithoutChangesUploadsNothingEvenThoughTheStatusDocumentWasWritten() throws IOException {
    world.setupLocalFolder();
    world.db.putDocument("users/1", "{}", "{}");
    run();
    PeriodicBackupStatus before = world.status();

    BackupOutcome outcome = run();

    assertThat(outcome.result()).isEqualTo(Result.NOTHING_CHANGED);
    assertThat(outcome.backup()).isEmpty();
    assertThat(files(world.backups)).hasSize(1);
    assertThat(world.status()).isEqualTo(before);
  }

  @Test
  void failedUploadLeavesTheStatusAsItWasAndTheNextRunCoversEveryChange() throws IOException {
    world.setup(
        "{\"LocalFolderName\": "
            + BackupWorld.quote(world.backups.toString())
            + ", \"Destinations\": {\"flaky\": {}}}");
    world.db.putDocument("users/1", "{}", "{\"v\":1}");
    world.db.putDocument("users/2", "{}", "{\"v\":1}");
    run();
    PeriodicBackupStatus afterFull = world.status();
    world.db.putDocument("users/1", "{}", "{\"v\":2}");
    world.db.deleteDocument("users/2");
    world.db.putAttachment("files/a", "{}", new ByteArrayInputStream(new byte[] {1, 2, 3}));
    world.flaky.failUploads(true);

    assertThatThrownBy(this::run)
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("connection refused");

    PeriodicBackupStatus afterFailure = world.status();
    assertThat(afterFailure.coveredEtag()).isEqualTo(afterFull.coveredEtag());
    assertThat(afterFailure.history()).isEqualTo(afterFull.history());
    assertThat(afterFailure.lastError().message()).contains("connection refused");
    assertThat(files(world.backups)).as("the local copy of the failed run is removed").hasSize(1);
    assertThat(files(world.remote)).hasSize(1);

    world.flaky.failUploads(false);
    BackupRecord retry = run().backup().orElseThrow();

    assertThat(retry.fromEtag()).isEqualTo(afterFull.coveredEtag());
    assertThat(world.status().lastError()).isNull();
    DatabaseContents source = DatabaseContents.of(world.db);
    assertThat(world.restore(world.remote, null).differenceFrom(source)).isNull();
    assertThat(world.restore(world.backups, null).differenceFrom(source)).isNull();
  }

  @Test
  void removesTemporaryFilesThatDeadProcessesLeftForThisDatabaseOnly() throws Exception {
    world.setupLocalFolder();
    world.db.putDocument("users/1", "{}", "{}");
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    long dead = ended.pid();
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path work = Files.createDirectories(world.root.resolve("work"));
    Path leftover =
        Files.write(
            work.resolve(DumpExporter.tempPrefix("shop", dead) + "123.json.gz.tmp"),
            new byte[1000]);
    Path ofLiveProcess =
        Files.write(
            work.resolve(DumpExporter.tempPrefix("shop", live) + "456.json.gz.tmp"), new byte[10]);
    Path ofOtherDatabase =
        Files.write(
            work.resolve(DumpExporter.tempPrefix("shop-eu", dead) + "789.json.gz.tmp"),
            new byte[10]);
    Path notOurs = Files.write(work.resolve("pbk-shop+notes.txt.tmp"), new byte[10]);

    assertThat(run().result()).isEqualTo(Result.BACKED_UP);

    assertThat(leftover).doesNotExist();
    assertThat(ofLiveProcess).exists();
    assertThat(ofOtherDatabase).exists();
    assertThat(notOurs).exists();
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files).containsExactlyInAnyOrder(ofLiveProcess, ofOtherDatabase, notOurs);
    }
  }

  @Test
  void elapsedFullIntervalStartsANewChain() throws IOException {
    world.setup(
        "{\"LocalFolderName\": "
            + BackupWorld.quote(world.backups.toString())
            + ", \"FullBackupIntervalMilliseconds\": 60000}");
    world.db.putDocument("users/1", "{}", "{}");
    BackupRecord full = run().backup().orElseThrow();
    world.clock.advance(Duration.ofSeconds(30));
    world.db.putDocument("users/2", "{}", "{}");
    BackupRecord incremental = run().backup().orElseThrow();
    world.clock.advance(Duration.ofSeconds(30));
    world.db.putDocument("users/3", "{}", "{}");
    BackupRecord nextFull = run().backup().orElseThrow();

    assertThat(incremental.type()).isEqualTo(BackupType.INCREMENTAL);
    assertThat(nextFull.type()).isEqualTo(BackupType.FULL);
    assertThat(nextFull.documents()).isEqualTo(3);
    assertThat(BackupFileName.parse(nextFull.fileName()).orElseThrow().chainStart())
        .isAfter(BackupFileName.parse(full.fileName()).orElseThrow().chainStart());
    assertThat(world.restore(world.backups, null).differenceFrom(DatabaseContents.of(world.db)))
        .isNull();
  }

  @Test
  void disabledSetupSkipsScheduledRunsButNotAnOperatorsExplicitRun() throws IOException {
    world.setup(
        "{\"Disabled\": true, \"LocalFolderName\": "
            + BackupWorld.quote(world.backups.toString())
            + "}");
    world.db.putDocument("users/1", "{}", "{}");

    assertThat(run().result()).isEqualTo(Result.DISABLED);
    assertThat(files(world.backups)).isEmpty();
    assertThat(world.engine.run(world.db, new BackupRequest(false, true)).result())
        .isEqualTo(Result.BACKED_UP);
  }

  @Test
  void missingSetupDocumentIsAClearError() {
    assertThatThrownBy(this::run)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("database 'shop' has no setup document")
        .hasMessageContaining("Raven/Backup/Periodic/Setup");
  }

  @Test
  void invalidSetupDocumentIsReportedAndRecordedInTheStatus() throws IOException {
    world.setup("{\"S3BucketNmae\": \"backups\", \"IntervalMilliseconds\": 0}");

    assertThatThrownBy(this::run)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("did you mean 'S3BucketName'")
        .hasMessageContaining("IntervalMilliseconds");
    assertThat(world.status().lastError().message()).contains("S3BucketNmae");
    assertThat(world.status().history()).isEmpty();
  }

  @Test
  void systemDocumentsAreNeitherExportedNorRestored() throws IOException {
    world.setupLocalFolder();
    world.db.putDocument("users/1", "{}", "{}");
    world.db.putSystemDocument("Raven/Custom/Thing", "{\"Secret\":\"internal\"}");

    BackupRecord full = run().backup().orElseThrow();

    assertThat(full.documents()).isEqualTo(1);
    assertThat(world.restore(world.backups, null).documents()).containsOnlyKeys("users/1");
  }

  @Test
  void pointInTimeRestoreReturnsTheDatabaseAsOfEachBackup() throws IOException {
    world.setupLocalFolder();
    world.db.putDocument("users/1", "{}", "{\"v\":1}");
    BackupRecord first = run().backup().orElseThrow();
    DatabaseContents atFirst = DatabaseContents.of(world.db);
    world.db.putDocument("users/1", "{}", "{\"v\":2}");
    world.db.putDocument("users/2", "{}", "{}");
    run();

    assertThat(world.restore(world.backups, first.fileName()).differenceFrom(atFirst)).isNull();
    assertThat(world.restore(world.backups, null).differenceFrom(DatabaseContents.of(world.db)))
        .isNull();
  }

  @Test
  void retentionDropsOldChainsAfterASuccessfulBackupAndKeepsWhatRestoreNeeds() throws IOException {
    world.setup(
        "{\"LocalFolderName\": "
            + BackupWorld.quote(world.backups.toString())
            + ", \"RetentionKeepChains\": 2}");
    for (int chain = 0; chain < 4; chain++) {
      world.db.putDocument("users/" + chain, "{}", "{}");
      world.clock.advance(Duration.ofSeconds(1));
      world.engine.run(world.db, new BackupRequest(true, false));
      world.db.putDocument("orders/" + chain, "{}", "{}");
      run();
    }

    List<Path> left = files(world.backups);
    assertThat(left).hasSize(4);
    assertThat(left.stream().map(p -> p.getParent().getFileName().toString()).distinct())
        .hasSize(2);
    assertThat(world.restore(world.backups, null).differenceFrom(DatabaseContents.of(world.db)))
        .isNull();
  }
}
