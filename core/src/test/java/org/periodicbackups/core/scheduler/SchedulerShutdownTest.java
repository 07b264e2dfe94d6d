package org.periodicbackups.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.periodicbackups.core.scheduler.SchedulerWorld.HOUR;
import static org.periodicbackups.core.scheduler.SchedulerWorld.setupEvery;
import static org.periodicbackups.core.scheduler.SchedulerWorld.status;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/** Shutdown with a real thread pool: runs in progress get a bounded wait, then are aborted. */
class SchedulerShutdownTest {
  @TempDir Path temp;
  SchedulerWorld world;
  ScheduledThreadPoolExecutor pool;
  SqliteDatabase db;
  PeriodicBackupService service;

  @BeforeEach
  void setUp() throws IOException {
    world = new SchedulerWorld(temp);
    pool = new ScheduledThreadPoolExecutor(2);
    db = world.databaseWithBundle("shop");
    db.putDocument("users/1", "{}", "{}");
    setupEvery(db, HOUR);
    world.engine.run(db, BackupRequest.SCHEDULED); // the first backup, then an overdue one
    db.putDocument("users/2", "{}", "{}");
    world.clock.advance(Duration.ofHours(2));
    service =
        new PeriodicBackupService(world.engine, BundleActivation.perDatabase(), pool, world.clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    world.gate.letThrough();
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    world.close();
  }

  private List<Path> remoteFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(temp.resolve("remote"))) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void runBlockedInAnUploadIsInterruptedAndLeavesTheStatusEtags() throws Exception {
    PeriodicBackupStatus before = status(db);
    List<Path> filesBefore = remoteFiles();
    world.gate.hold();
    PeriodicBackupScheduler scheduler = service.add(db);
    world.gate.awaitUploadWaiting();

    boolean clean = service.shutdown(Duration.ofMillis(200));

    PeriodicBackupStatus after = status(db);
    assertThat(clean).isFalse();
    assertThat(scheduler.isRunning()).isFalse();
    assertThat(after.lastDocsEtag()).isEqualTo(before.lastDocsEtag());
    assertThat(after.lastAttachmentsEtag()).isEqualTo(before.lastAttachmentsEtag());
    assertThat(after.lastDocsDeletionEtag()).isEqualTo(before.lastDocsDeletionEtag());
    assertThat(after.lastAttachmentDeletionEtag()).isEqualTo(before.lastAttachmentDeletionEtag());
    assertThat(after.lastBackup()).isEqualTo(before.lastBackup());
    assertThat(after.history()).isEqualTo(before.history());
    assertThat(after.lastError().message()).contains("interrupted");
    assertThat(remoteFiles()).isEqualTo(filesBefore);
    assertThat(scheduler.nextRunAt()).isEmpty();
  }

  @Test
  void interruptedExportRecordsNothingAndLeavesNoFile() throws Exception {
    PeriodicBackupStatus before = status(db);
    List<Path> filesBefore = remoteFiles();

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> world.engine.run(db, BackupRequest.SCHEDULED))
          .isInstanceOf(InterruptedIOException.class)
          .hasMessageContaining("interrupted while exporting");
    } finally {
      Thread.interrupted();
    }

    assertThat(status(db).coveredEtag()).isEqualTo(before.coveredEtag());
    assertThat(status(db).history()).isEqualTo(before.history());
    assertThat(world.gate.uploads()).isEqualTo(1);
    assertThat(remoteFiles()).isEqualTo(filesBefore);
    try (Stream<Path> work = Files.list(temp.resolve("work"))) {
      assertThat(work).as("temporary dump files").isEmpty();
    }
  }

  @Test
  void runEndingWithinTheTimeoutCompletesAndAdvancesTheStatus() throws Exception {
    long etagBefore = status(db).lastDocsEtag();
    world.gate.hold();
    service.add(db);
    world.gate.awaitUploadWaiting();
    world.gate.letThrough();

    boolean clean = service.shutdown(Duration.ofSeconds(10));

    assertThat(clean).isTrue();
    assertThat(status(db).lastDocsEtag()).isGreaterThan(etagBefore);
    assertThat(world.gate.uploads()).isEqualTo(2);
  }
}
