package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.destination.ResolvedDestinations;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestorePlan;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.core.restore.VerificationReport;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * One test's source database in a scratch {@link SqliteStore}, backed up by the real {@link
 * BackupEngine} to the destination under test (through {@link KitProvider}, so that {@link #faults}
 * apply), with the helpers to restore from the destination alone.
 */
final class BackupScenario implements AutoCloseable {
  static final String DATABASE = "tck-source";
  private static final Instant START = Instant.parse("2026-11-28T14:43:00Z");

  /** One successful backup: the file the engine wrote and the source as of its cut. */
  record Backup(String fileName, DatabaseContents contents) {}

  final String rule;
  final Fixture f;
  final Faults faults = new Faults();
  final SourceData data;
  final SqliteDatabase source;
  final List<Backup> backups = new ArrayList<>();
  private final SqliteStore store;
  private final KitProvider provider;
  private final BackupEngine engine;
  private int targets;

  private BackupScenario(Fixture f, String rule, long largeSize, boolean snapshots)
      throws IOException {
    this.f = f;
    this.rule = rule;
    this.data = new SourceData(f.kit.seed(), largeSize);
    this.provider = new KitProvider(f.provider, f.kit, faults);
    PeriodicBackupSetup setup =
        engineSetup(f.setup).toBuilder()
            .backupType(
                snapshots
                    ? PeriodicBackupSetup.BACKUP_TYPE_SNAPSHOT
                    : PeriodicBackupSetup.BACKUP_TYPE_BACKUP)
            .build();
    DestinationRegistry registry = registryWith(f.registry, provider);
    requireResolvedToTheProvider(new DestinationResolver(registry), setup);
    Path work = Files.createDirectories(f.scratch().resolve("work"));
    this.engine =
        new BackupEngine(
            new DestinationResolver(registry),
            work,
            new SteppingClock(START, Duration.ofMinutes(1)));
    this.store = new SqliteStore(f.scratch().resolve("data"));
    this.source = store.create(DATABASE, Map.of());
    source.putSystemDocument(SystemDocuments.SETUP_KEY, SetupDocuments.toJson(setup));
  }

  /**
   * A scenario whose source holds the initial data; {@code large} adds the multi-MiB attachment (at
   * most 3 MiB, {@code largestFileToTest()} and a third of {@code maxFileSize}).
   */
  static BackupScenario open(Fixture f, String rule, boolean large) throws IOException {
    return open(f, rule, large, false);
  }

  /**
   * As {@link #open(Fixture, String, boolean)}; with {@code snapshots}, the setup says {@code
   * "BackupType": "Snapshot"}: every full backup is an image of the database.
   */
  static BackupScenario open(Fixture f, String rule, boolean large, boolean snapshots)
      throws IOException {
    long largeSize =
        !large
            ? 0
            : Math.min(
                3L * 1024 * 1024,
                Math.min(f.kit.largestFileToTest(), f.capabilities.maxFileSize() / 3));
    BackupScenario scenario = f.closeAfterTest(new BackupScenario(f, rule, largeSize, snapshots));
    scenario.data.writeInitial(scenario.source);
    return scenario;
  }

  /** Full backup, then every round of changes each followed by an incremental backup. */
  BackupScenario fullAndIncrementals() throws IOException {
    return fullAndIncrementals(SourceData.ROUNDS);
  }

  /** Full backup, then {@code rounds} rounds of changes each followed by an incremental. */
  BackupScenario fullAndIncrementals(int rounds) throws IOException {
    backUp(true);
    for (int round = 1; round <= rounds; round++) {
      data.change(source, round);
      backUp(false);
    }
    return this;
  }

  /**
   * The implementer's setup, enabled, without a full-backup interval (the kit picks types),
   * retention (the kit deletes what it wrote itself) or required encryption (it holds no key).
   */
  private static PeriodicBackupSetup engineSetup(PeriodicBackupSetup s) {
    return s.toBuilder()
        .disabled(false)
        .fullBackupIntervalMilliseconds(null)
        .retentionKeepChains(null)
        .retentionMinimumAgeMilliseconds(null)
        .encryption(null)
        .build();
  }

  private static DestinationRegistry registryWith(DestinationRegistry found, KitProvider tested) {
    List<DestinationProvider> providers = new ArrayList<>();
    for (DestinationProvider p : found.providers()) {
      providers.add(p.name().equals(tested.name()) ? tested : p);
    }
    return DestinationRegistry.of(providers);
  }

  private void requireResolvedToTheProvider(
      DestinationResolver resolver, PeriodicBackupSetup setup) {
    ResolvedDestinations resolved;
    try {
      resolved = resolver.resolve(setup);
    } catch (ConfigurationException e) {
      throw new AssertionError(
          rule + ": the engine cannot resolve setupFor('" + f.prefix + "'): " + e.getMessage(), e);
    }
    assertThat(resolved.inUploadOrder())
        .withFailMessage(
            "%s: the engine sends the files of setupFor('%s') to %s, not to '%s';"
                + " the setup must make the provider under test the remote destination (or"
                + " LocalFolderName for filesystem)",
            rule,
            f.prefix,
            resolved.inUploadOrder().stream().map(DestinationProvider::name).toList(),
            provider.name())
        .contains(provider);
  }

  /** Runs the engine once ({@code full} or incremental); it must write a file. */
  BackupRecord backUp(boolean full) throws IOException {
    BackupRecord record = backUpWithoutContents(full);
    backups.set(backups.size() - 1, new Backup(record.fileName(), contents(source)));
    return record;
  }

  /**
   * As {@link #backUp(boolean)}, without reading the source's contents at the cut (a long chain's
   * rule compares the latest state only); the backup's contents are recorded as {@code null}.
   */
  BackupRecord backUpWithoutContents(boolean full) throws IOException {
    BackupOutcome outcome;
    try {
      outcome = engine.run(source, new BackupRequest(full, true));
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          rule
              + ": backup run "
              + (backups.size() + 1)
              + " ("
              + (full ? "full" : "incremental")
              + ") to "
              + f.destination.description()
              + " failed: "
              + e,
          e);
    }
    Optional<BackupRecord> record = outcome.backup();
    assertThat(record)
        .as("%s backup run %d: %s", rule, backups.size() + 1, outcome.message())
        .isPresent();
    backups.add(new Backup(record.get().fileName(), null));
    return record.get();
  }

  /** Runs the engine once expecting it to fail; returns what it threw (null if nothing). */
  Throwable failingBackUp() {
    try {
      engine.run(source, new BackupRequest(false, true));
      return null;
    } catch (IOException | RuntimeException e) {
      return e;
    }
  }

  /** The source's status document as the engine left it. */
  PeriodicBackupStatus status() throws IOException {
    return StatusDocuments.parse(
        source
            .getSystemDocument(SystemDocuments.STATUS_KEY)
            .orElseThrow(() -> new AssertionError(rule + ": the engine wrote no status document")));
  }

  /**
   * A new destination for the implementer's setup, as a restore on another machine creates it
   * (faults of {@link #faults} apply); waits until it lists every file backed up so far.
   */
  FaultInjectingDestination freshDestination() throws InterruptedException {
    FaultInjectingDestination destination =
        f.closeAfterTest(
            expect("creating a destination", () -> provider.create(f.kit.contextFor(f.setup))));
    List<String> expected = backups.stream().map(Backup::fileName).toList();
    long deadline = System.nanoTime() + f.kit.maxListingWait().toNanos();
    List<String> listed = expect("list", () -> names(destination));
    while (!listed.containsAll(expected)
        && !f.capabilities.immediateListing()
        && System.nanoTime() < deadline) {
      Thread.sleep(f.kit.pollInterval().toMillis());
      listed = expect("list", () -> names(destination));
    }
    assertThat(listed)
        .as(
            "%s a new destination for setupFor('%s') lists every file the engine"
                + " uploaded (within maxListingWait() when listing is not immediate)",
            rule, f.prefix)
        .containsAll(expected);
    return destination;
  }

  private static List<String> names(FaultInjectingDestination destination) throws IOException {
    return destination.list("").stream().map(StoredFile::name).toList();
  }

  /** A new empty database in the scratch store. */
  SqliteDatabase emptyTarget() throws IOException {
    return store.create("tck-target-" + (++targets), Map.of());
  }

  /**
   * Restores {@code request} into a new database of the scratch store, built aside and opened once
   * the restore succeeded (the only target a snapshot chain restores into); a failure fails the
   * rule.
   */
  SqliteDatabase restoreIntoNew(FaultInjectingDestination destination, RestoreRequest request)
      throws IOException {
    String name = "tck-target-" + (++targets);
    expect(
        "restore of " + request + " into a new database",
        () -> restoreOrThrow(destination, request, store.newDatabaseTarget(name)));
    return store.open(name);
  }

  /** Plans and restores {@code request} from {@code destination} into {@code target}. */
  static RestoreResult restoreOrThrow(
      FaultInjectingDestination destination, RestoreRequest request, RestoreTarget target)
      throws IOException {
    ChainRestorer restorer = new ChainRestorer();
    return restorer.restore(destination, restorer.plan(destination, request), target);
  }

  /** As {@link #restoreOrThrow}; a failure fails the rule, with its id. */
  RestoreResult restore(
      FaultInjectingDestination destination, RestoreRequest request, SqliteDatabase target) {
    return expect("restore of " + request, () -> restoreOrThrow(destination, request, target));
  }

  /** The plan of the newest chain; a failure fails the rule. */
  RestorePlan plan(FaultInjectingDestination destination) {
    return expect("restore plan", () -> new ChainRestorer().plan(destination, latest()));
  }

  /** {@code ChainRestorer.verifyAll}; a failure fails the rule. */
  VerificationReport verifyAll(FaultInjectingDestination destination) {
    return expect("verify", () -> new ChainRestorer().verifyAll(destination));
  }

  /** An action of the restore side that may throw. */
  @FunctionalInterface
  interface RestoreAction<T> {
    T run() throws IOException;
  }

  private <T> T expect(String what, RestoreAction<T> action) {
    try {
      return action.run();
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          rule + ": " + what + " from " + f.destination.description() + " failed: " + e, e);
    }
  }

  /** The restore of the newest chain of the source database. */
  static RestoreRequest latest() {
    return RestoreRequest.latest(DATABASE);
  }

  /** Fails {@code rule} unless {@code target} holds exactly {@code expected}. */
  void assertEqual(String what, DatabaseContents expected, SqliteDatabase target)
      throws IOException {
    String difference = expected.differenceFrom(contents(target));
    assertThat(difference)
        .withFailMessage(
            "%s: %s differs from the source: %s (content seed" + " %d)",
            rule, what, difference, f.kit.seed())
        .isNull();
  }

  static DatabaseContents contents(SqliteDatabase db) throws IOException {
    return DatabaseContents.of(db);
  }

  /** Closes the source store: nothing but the destination is left. */
  @Override
  public void close() throws IOException {
    store.close();
  }

  /** A clock that moves {@code step} forward every time it is read: distinct file times. */
  private static final class SteppingClock extends Clock {
    private final Instant start;
    private final Duration step;
    private final AtomicLong reads = new AtomicLong();

    SteppingClock(Instant start, Duration step) {
      this.start = start;
      this.step = step;
    }

    @Override
    public Instant instant() {
      return start.plus(step.multipliedBy(reads.getAndIncrement()));
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException("the kit's clock is UTC");
    }
  }
}
