package org.periodicbackups.core.scheduler;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import org.periodicbackups.testing.GateProvider;
import org.periodicbackups.testing.TestClock;

/**
 * Real components for scheduler tests: a SQLite store, a {@link GateProvider} remote, an engine and
 * a {@link FakeScheduledExecutor} on one {@link TestClock}.
 */
final class SchedulerWorld implements AutoCloseable {
  static final long HOUR = 3_600_000L;

  final TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
  final FakeScheduledExecutor executor = new FakeScheduledExecutor(clock);
  final SqliteStore store;
  final GateProvider gate;
  final BackupEngine engine;

  SchedulerWorld(Path root) throws IOException {
    this.store = new SqliteStore(root.resolve("data"));
    this.gate = new GateProvider("gate", root.resolve("remote"));
    this.engine =
        new BackupEngine(
            new DestinationResolver(DestinationRegistry.of(List.of(gate))),
            root.resolve("work"),
            clock);
  }

  /** A database with the bundle in its own settings. */
  SqliteDatabase databaseWithBundle(String name) throws IOException {
    return store.create(
        name, Map.of(BundleActivation.ACTIVE_BUNDLES_SETTING, BundleActivation.BUNDLE_NAME));
  }

  /** A scheduler for {@code db}, told of its document changes, not yet started. */
  PeriodicBackupScheduler scheduler(SqliteDatabase db, BundleActivation activation) {
    PeriodicBackupScheduler scheduler =
        new PeriodicBackupScheduler(db, engine, activation, executor, clock);
    db.addChangeListener(event -> scheduler.onDocumentChanged(event.key()));
    return scheduler;
  }

  static void setup(SqliteDatabase db, String fields) throws IOException {
    db.putSystemDocument(
        SystemDocuments.SETUP_KEY,
        "{\"Destinations\": {\"gate\": {}}" + (fields.isEmpty() ? "" : ", " + fields) + "}");
  }

  static void setupEvery(SqliteDatabase db, long intervalMilliseconds) throws IOException {
    setup(db, "\"IntervalMilliseconds\": " + intervalMilliseconds);
  }

  static PeriodicBackupStatus status(SqliteDatabase db) throws IOException {
    return db.getSystemDocument(SystemDocuments.STATUS_KEY)
        .map(StatusDocuments::parse)
        .orElse(PeriodicBackupStatus.initial());
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
