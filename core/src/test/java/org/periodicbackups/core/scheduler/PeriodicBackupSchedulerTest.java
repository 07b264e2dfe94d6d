package org.periodicbackups.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.periodicbackups.core.scheduler.SchedulerWorld.HOUR;
import static org.periodicbackups.core.scheduler.SchedulerWorld.setup;
import static org.periodicbackups.core.scheduler.SchedulerWorld.setupEvery;
import static org.periodicbackups.core.scheduler.SchedulerWorld.status;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.store.sqlite.SqliteDatabase;

class PeriodicBackupSchedulerTest {
  @TempDir Path temp;
  SchedulerWorld world;
  SqliteDatabase db;
  Instant start;

  @BeforeEach
  void setUp() throws IOException {
    world = new SchedulerWorld(temp);
    db = world.databaseWithBundle("shop");
    db.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
    start = world.clock.instant();
  }

  @AfterEach
  void tearDown() throws IOException {
    world.close();
  }

  private PeriodicBackupScheduler started(SqliteDatabase database) {
    PeriodicBackupScheduler scheduler = world.scheduler(database, BundleActivation.perDatabase());
    scheduler.start();
    return scheduler;
  }

  private void advanceMinutes(long minutes) {
    world.executor.advance(Duration.ofMinutes(minutes));
  }

  private Instant minutesAfterStart(long minutes) {
    return start.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void databaseNeverBackedUpIsBackedUpAtOnceThenEveryInterval() throws IOException {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler scheduler = started(db);

    world.executor.runDue();
    assertThat(world.gate.uploads()).isEqualTo(1);
    assertThat(scheduler.nextRunAt()).contains(minutesAfterStart(60));

    db.putDocument("users/2", "{}", "{}");
    advanceMinutes(59);
    assertThat(world.gate.uploads()).isEqualTo(1);
    advanceMinutes(1);
    assertThat(world.gate.uploads()).isEqualTo(2);
    assertThat(status(db).lastBackup()).isEqualTo(minutesAfterStart(60));
  }

  @Test
  void restartComputesTheFirstRunFromTheStatusDocument() throws Exception {
    setupEvery(db, HOUR);
    started(db);
    world.executor.runDue();
    advanceMinutes(10);

    // A new process: the last backup was ten minutes ago.
    PeriodicBackupScheduler restarted = started(db);

    assertThat(restarted.nextRunAt()).contains(minutesAfterStart(60));
  }

  @Test
  void overdueBackupAfterARestartRunsAtOnce() throws Exception {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler first = started(db);
    world.executor.runDue();
    first.stop(Duration.ZERO);
    db.putDocument("users/2", "{}", "{}");
    world.clock.advance(Duration.ofHours(5)); // the process was down; nothing ran

    PeriodicBackupScheduler restarted = started(db);
    world.executor.runDue();

    assertThat(world.gate.uploads()).isEqualTo(2);
    assertThat(restarted.nextRunAt()).contains(minutesAfterStart(6 * 60));
  }

  @Test
  void tickArrivingDuringARunIsSkipped() throws Exception {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler scheduler = started(db);
    world.gate.hold();
    Thread firstRun = new Thread(world.executor::runDue, "first-run");
    firstRun.start();
    world.gate.awaitUploadWaiting();

    advanceMinutes(60); // the next tick comes while the first upload still waits
    assertThat(scheduler.skippedTicks()).isEqualTo(1);
    assertThat(scheduler.isRunning()).isTrue();

    world.gate.letThrough();
    firstRun.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(firstRun.isAlive()).isFalse();
    assertThat(world.gate.uploads()).isEqualTo(1);
    assertThat(scheduler.isRunning()).isFalse();
    assertThat(scheduler.nextRunAt()).isPresent();
  }

  @Test
  void shorterIntervalMovesTheNextRunEarlierAtOnce() throws IOException {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler scheduler = started(db);
    world.executor.runDue();
    advanceMinutes(10);

    setupEvery(db, Duration.ofMinutes(15).toMillis());

    assertThat(scheduler.nextRunAt()).contains(minutesAfterStart(15));
    db.putDocument("users/2", "{}", "{}");
    advanceMinutes(5);
    assertThat(world.gate.uploads()).isEqualTo(2);
  }

  @Test
  void deletedSetupStopsTheRuns() throws IOException {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler scheduler = started(db);
    world.executor.runDue();

    db.deleteDocument(SystemDocuments.SETUP_KEY);
    db.putDocument("users/2", "{}", "{}");
    advanceMinutes(5 * 60);

    assertThat(scheduler.nextRunAt()).isEmpty();
    assertThat(world.gate.uploads()).isEqualTo(1);
  }

  @Test
  void disabledSetupStopsTheRunsAndEnablingResumesThem() throws IOException {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler scheduler = started(db);
    world.executor.runDue();

    setup(db, "\"IntervalMilliseconds\": " + HOUR + ", \"Disabled\": true");
    db.putDocument("users/2", "{}", "{}");
    advanceMinutes(3 * 60);
    assertThat(scheduler.nextRunAt()).isEmpty();
    assertThat(world.gate.uploads()).isEqualTo(1);

    setupEvery(db, HOUR);
    world.executor.runDue(); // overdue since the last backup three hours ago
    assertThat(world.gate.uploads()).isEqualTo(2);
  }

  @Test
  void fullIntervalStartsNewChainsWithFullBackups() throws IOException {
    setup(
        db,
        "\"IntervalMilliseconds\": " + HOUR + ", \"FullBackupIntervalMilliseconds\": " + 3 * HOUR);
    started(db);
    world.executor.runDue();
    for (int hour = 1; hour <= 6; hour++) {
      db.putDocument("users/h" + hour, "{}", "{}");
      advanceMinutes(60);
    }

    assertThat(status(db).history())
        .extracting(BackupRecord::type)
        .containsExactly(
            BackupType.FULL,
            BackupType.INCREMENTAL,
            BackupType.INCREMENTAL,
            BackupType.FULL,
            BackupType.INCREMENTAL,
            BackupType.INCREMENTAL,
            BackupType.FULL);
    assertThat(status(db).lastFullBackup()).isEqualTo(minutesAfterStart(6 * 60));
  }

  @Test
  void writingTheStatusDocumentNeverTriggersARun() throws IOException {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler scheduler = started(db);
    world.executor.runDue();
    db.putDocument("users/2", "{}", "{}");

    // A status that says "never backed up" would make a rescheduled run due at once.
    db.putSystemDocument(
        SystemDocuments.STATUS_KEY, StatusDocuments.toJson(PeriodicBackupStatus.initial()));
    world.executor.runDue();

    assertThat(world.gate.uploads()).isEqualTo(1);
    assertThat(scheduler.nextRunAt()).contains(minutesAfterStart(60));
  }

  @Test
  void databaseWithoutTheBundleIsNeverBackedUp() throws IOException {
    SqliteDatabase plain = world.store.create("plain", Map.of());
    plain.putDocument("users/1", "{}", "{}");
    setupEvery(plain, HOUR);
    PeriodicBackupScheduler scheduler = started(plain);

    advanceMinutes(3 * 60);
    assertThat(scheduler.nextRunAt()).isEmpty();
    assertThat(world.gate.uploads()).isEqualTo(0);

    // Activated later (a rescan calls refresh, as settings changes send no event).
    plain.putSetting(BundleActivation.ACTIVE_BUNDLES_SETTING, "PeriodicExport");
    scheduler.refresh();
    world.executor.runDue();
    assertThat(world.gate.uploads()).isEqualTo(1);
  }

  @Test
  void globalActivationBacksUpEveryDatabaseButDisabledOnes() throws IOException {
    SqliteDatabase plain = world.store.create("plain", Map.of());
    plain.putDocument("users/1", "{}", "{}");
    setupEvery(plain, HOUR);
    SqliteDatabase off = world.store.create("off", Map.of());
    off.putDocument("users/1", "{}", "{}");
    setup(off, "\"IntervalMilliseconds\": " + HOUR + ", \"Disabled\": true");

    world.scheduler(plain, BundleActivation.everywhere()).start();
    world.scheduler(off, BundleActivation.everywhere()).start();
    world.executor.runDue();

    assertThat(status(plain).history()).hasSize(1);
    assertThat(status(off).history()).isEmpty();
  }

  @Test
  void failedRunIsRecordedAndRetriedAtTheNextTick() throws IOException {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler scheduler = started(db);
    world.gate.failUploads(true);

    world.executor.runDue();
    assertThat(status(db).lastError().message()).contains("connection refused (test)");
    assertThat(status(db).lastError().at()).isEqualTo(world.clock.instant());
    assertThat(status(db).lastBackup()).isNull();
    assertThat(scheduler.nextRunAt()).contains(minutesAfterStart(60));

    world.gate.failUploads(false);
    advanceMinutes(60);
    assertThat(world.gate.uploads()).isEqualTo(1);
    assertThat(status(db).lastError()).isNull();
  }

  @Test
  void runWithNothingChangedWaitsForTheNextInterval() throws IOException {
    setupEvery(db, HOUR);
    PeriodicBackupScheduler scheduler = started(db);
    world.executor.runDue();
    advanceMinutes(60); // nothing changed: no file, status times unchanged

    assertThat(world.gate.uploads()).isEqualTo(1);
    assertThat(scheduler.nextRunAt()).contains(minutesAfterStart(120));
  }
}
