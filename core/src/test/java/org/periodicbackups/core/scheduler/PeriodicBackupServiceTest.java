package org.periodicbackups.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.periodicbackups.core.scheduler.SchedulerWorld.HOUR;
import static org.periodicbackups.core.scheduler.SchedulerWorld.setupEvery;
import static org.periodicbackups.core.scheduler.SchedulerWorld.status;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.store.sqlite.SqliteDatabase;

class PeriodicBackupServiceTest {
  @TempDir Path temp;
  SchedulerWorld world;
  ScheduledThreadPoolExecutor pool;

  @BeforeEach
  void setUp() throws IOException {
    world = new SchedulerWorld(temp);
    pool = new ScheduledThreadPoolExecutor(1);
  }

  @AfterEach
  void tearDown() throws Exception {
    world.gate.letThrough();
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    world.close();
  }

  private SqliteDatabase due(String name) throws IOException {
    SqliteDatabase db = world.databaseWithBundle(name);
    db.putDocument("users/1", "{}", "{}");
    setupEvery(db, HOUR);
    return db;
  }

  @Test
  void databasesBeyondThePoolSizeWaitTheirTurn() throws Exception {
    SqliteDatabase first = due("first");
    SqliteDatabase second = due("second");
    PeriodicBackupService service =
        new PeriodicBackupService(world.engine, BundleActivation.perDatabase(), pool, world.clock);
    world.gate.hold();

    service.add(first);
    service.add(second);
    world.gate.awaitUploadWaiting();

    // One thread: the second database's run is due but queued behind the first.
    assertThat(service.scheduler("first").orElseThrow().isRunning()).isTrue();
    assertThat(service.scheduler("second").orElseThrow().isRunning()).isFalse();
    world.gate.letThrough();
    assertThat(service.shutdown(Duration.ofSeconds(10))).isTrue();
    assertThat(status(first).history()).hasSize(1);
    assertThat(service.databases()).containsExactly("first", "second");
  }

  @Test
  void addingADatabaseTwiceKeepsOneScheduler() throws Exception {
    SqliteDatabase db = due("shop");
    PeriodicBackupService service =
        new PeriodicBackupService(world.engine, BundleActivation.perDatabase(), pool, world.clock);

    assertThat(service.add(db)).isSameAs(service.add(db));
    assertThat(service.shutdown(Duration.ofSeconds(10))).isTrue();
  }
}
