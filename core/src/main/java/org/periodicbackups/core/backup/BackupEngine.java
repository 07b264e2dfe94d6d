package org.periodicbackups.core.backup;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.BackupCopy;
import org.periodicbackups.api.config.BackupError;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.backup.BackupOutcome.Result;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.lease.Lease;
import org.periodicbackups.core.lease.LeaseKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one backup of one database (docs/DESIGN.md, "The flow of one document through a backup"):
 * choose full or incremental, export the changes of one consistent snapshot into a compressed dump,
 * upload it to the resolved destinations, and only then advance the status document.
 *
 * <p>A failed run leaves the status etags as they were (the error is recorded in the status
 * document and rethrown, not logged: the caller reports it once), so the next run covers the same
 * changes. Runs of the same database are serialised, within this engine and, through {@link
 * ChangeSource#tryLockBackups()}, across processes: a run that finds another in progress returns
 * {@link Result#ALREADY_RUNNING}. The engine is thread-safe and may back up many databases at once.
 *
 * <p>A run is abortable: interrupting the thread that runs it (as a scheduler does when it shuts
 * down) fails the run with an {@link InterruptedIOException} during the export or after an upload,
 * removes the copies already made, and leaves the status etags unchanged.
 *
 * <p>Across machines, a run holds the database's lease at every destination with conditional writes
 * (docs/DESIGN.md, "One writer per chain"): it fails, naming the holder, while another writer holds
 * it; it starts a new chain when another writer held it since the database's last backup; it renews
 * the lease before and after its uploads and removes its copies if the lease was taken over
 * meanwhile; and its file's header records the lease's fencing token. The engine keeps the leases
 * between runs; {@link #close()} gives them up.
 */
public final class BackupEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupEngine.class);

  private final DestinationResolver resolver;
  private final Path workFolder;
  private final Clock clock;
  private final BackupListener listener;
  private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();
  private final LeaseKeeper leases;
  private final Compactor compactor;

  /**
   * An engine that writes dump files into {@code workFolder} before uploading them.
   *
   * @param resolver decides which destinations receive the files
   * @param workFolder where dump files are written before upload; removed after each run, and files
   *     of a database left by a process that died are removed by the next run of it
   * @param clock the time source for file names and status times
   */
  public BackupEngine(DestinationResolver resolver, Path workFolder, Clock clock) {
    this(resolver, workFolder, clock, BackupListener.NONE);
  }

  /**
   * An engine that also tells {@code listener} what it does (metrics, progress).
   *
   * @param listener see {@link BackupListener}; {@link BackupMetrics} is one
   */
  public BackupEngine(
      DestinationResolver resolver, Path workFolder, Clock clock, BackupListener listener) {
    this.resolver = requireNonNull(resolver, "resolver is null");
    this.workFolder = requireNonNull(workFolder, "workFolder is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.listener = new SafeListener(requireNonNull(listener, "listener is null"));
    this.leases = new LeaseKeeper(clock);
    this.compactor = new Compactor(workFolder);
  }

  /** An engine using the system temporary folder and the UTC system clock. */
  public BackupEngine(DestinationResolver resolver) {
    this(resolver, Path.of(System.getProperty("java.io.tmpdir")), Clock.systemUTC());
  }

  /**
   * Backs up {@code source} once.
   *
   * @throws ConfigurationException if the setup document is missing or invalid, or no destination
   *     can be resolved
   * @throws IOException if exporting or uploading failed; the status etags are unchanged
   */
  public BackupOutcome run(ChangeSource source, BackupRequest request) throws IOException {
    String database = source.databaseName();
    ReentrantLock lock = running.computeIfAbsent(database, name -> new ReentrantLock());
    if (!lock.tryLock()) {
      return BackupOutcome.skipped(
          database,
          Result.ALREADY_RUNNING,
          "a backup of database '" + database + "' is already running; this run did nothing");
    }
    try {
      Optional<ChangeSource.BackupLock> acrossProcesses = source.tryLockBackups();
      if (acrossProcesses.isEmpty()) {
        return BackupOutcome.skipped(
            database,
            Result.ALREADY_RUNNING,
            "another process is" + " backing up database '" + database + "'; this run did nothing");
      }
      try (ChangeSource.BackupLock held = acrossProcesses.get()) {
        removeLeftovers(database);
        return runExclusively(source, request);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Frees the work folder of dump files that killed processes left for this database. */
  private void removeLeftovers(String database) {
    try {
      long freed = DumpExporter.removeLeftovers(workFolder, database);
      if (freed > 0) {
        log.warn(
            "removed {} bytes of temporary dump files of '{}' that a stopped process left"
                + " in {}",
            freed,
            database,
            workFolder);
      }
    } catch (IOException | RuntimeException e) {
      log.warn(
          "could not remove temporary dump files of '{}' left in {}: {}",
          database,
          workFolder,
          e.toString());
    }
  }

  private BackupOutcome runExclusively(ChangeSource source, BackupRequest request)
      throws IOException {
    String database = source.databaseName();
    String setupJson =
        source
            .getSystemDocument(SystemDocuments.SETUP_KEY)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "database '"
                            + database
                            + "' has no setup document ("
                            + SystemDocuments.SETUP_KEY
                            + "); create one, for example with 'pbk setup'"));
    PeriodicBackupStatus status = readStatus(source);
    Instant startedAt = clock.instant();
    try {
      PeriodicBackupSetup setup = SetupDocuments.parse(setupJson);
      if (setup.disabled() && !request.ignoreDisabled()) {
        return BackupOutcome.skipped(
            database,
            Result.DISABLED,
            "periodic backups of database '" + database + "' are disabled (Disabled: true)");
      }
      List<DestinationProvider> providers = resolver.resolve(setup).inUploadOrder();
      return backUp(
          source,
          setup,
          status,
          providers,
          RunChoices.type(setup, status, request, startedAt),
          startedAt);
    } catch (IOException | RuntimeException e) {
      recordError(source, status, startedAt, e);
      listener.failed(database, e);
      throw e;
    }
  }

  private BackupOutcome backUp(
      ChangeSource source,
      PeriodicBackupSetup setup,
      PeriodicBackupStatus status,
      List<DestinationProvider> providers,
      BackupType type,
      Instant startedAt)
      throws IOException {
    String database = source.databaseName();
    long startNanos = System.nanoTime();
    DumpCompression compression = RunChoices.compression(setup);
    EncryptionKey key = RunChoices.encryptionKey(source, setup);
    // After the checks of the setup, so that a run that cannot succeed takes no lease.
    Lease lease =
        leases
            .hold(
                source, setup, providers, new DestinationContext(database, setup, source::setting))
            .orElse(null);
    Long lastToken = status.lastFile().map(BackupRecord::leaseToken).orElse(null);
    if (type == BackupType.INCREMENTAL && lease != null && !lease.continuesChainOf(lastToken)) {
      log.info(
          "starting a new chain of '{}': another writer held its backup lease since its last"
              + " backup (written under token {}; now token {})",
          database,
          lastToken,
          lease.token());
      type = BackupType.FULL;
    }
    Optional<BackupRecord> previous =
        type == BackupType.INCREMENTAL ? status.lastFile() : Optional.empty();
    BackupFileName name =
        RunChoices.fileName(
            database,
            previous,
            startedAt,
            compression.codec(),
            key != null,
            previous.isEmpty() && setup.snapshots());
    listener.started(database, name.type());
    ExportedFile exported;
    try (ChangeSnapshot snapshot = source.openSnapshot()) {
      long fromEtag = previous.isPresent() ? status.coveredEtag() : 0L;
      if (snapshot.lastEtag() < fromEtag) {
        throw new IllegalStateException(
            "database '"
                + database
                + "' is at etag "
                + snapshot.lastEtag()
                + " but its status says etag "
                + fromEtag
                + " was backed up; run a full backup (pbk backup --full) to start a new chain");
      }
      exported =
          name.image()
              ? SnapshotExporter.export(
                  snapshot,
                  workFolder,
                  database,
                  name.createdAt(),
                  compression,
                  key,
                  lease == null ? null : lease.fence(),
                  bytes -> listener.exported(database, bytes))
              : DumpExporter.export(
                  snapshot,
                  workFolder,
                  database,
                  name.type(),
                  fromEtag,
                  name.createdAt(),
                  previous.map(BackupRecord::fileName).orElse(null),
                  previous.map(BackupRecord::sha256).orElse(null),
                  compression,
                  key,
                  lease == null ? null : lease.fence(),
                  bytes -> listener.exported(database, bytes));
    }
    try {
      if (exported.isEmpty() && name.type() == BackupType.INCREMENTAL) {
        listener.nothingChanged(database);
        compact(source, setup, providers, name, key, compression, lease);
        return BackupOutcome.skipped(
            database,
            Result.NOTHING_CHANGED,
            "database '"
                + database
                + "' has no change since etag "
                + exported.header().fromEtag()
                + "; nothing uploaded");
      }
      List<String> descriptions = new ArrayList<>();
      if (lease != null) {
        lease.renew(); // a writer paused past its lease stops here, before it uploads
      }
      List<BackupCopy> copies =
          Uploads.toAll(
              new DestinationContext(database, setup, source::setting),
              providers,
              name,
              exported,
              descriptions,
              lease == null ? () -> {} : lease::renew);
      BackupRecord record =
          new BackupRecord(
              name.path(),
              name.type(),
              copies,
              exported.size(),
              exported.sha256(),
              exported.header().fromEtag(),
              exported.header().toEtag(),
              startedAt,
              Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
              exported.counts().documents(),
              exported.counts().attachments(),
              exported.deletions(),
              lease == null ? null : lease.token());
      source.putSystemDocument(
          SystemDocuments.STATUS_KEY, StatusDocuments.toJson(status.withSuccess(record)));
      RetentionRun.apply(
          new DestinationContext(database, setup, source::setting),
          providers,
          name,
          clock.instant());
      compact(source, setup, providers, name, key, compression, lease);
      String message =
          String.format(
              "%s backup of '%s': %s, %,d bytes, etags %d..%d, %d ms, to %s",
              name.type().displayName(),
              database,
              name.path(),
              record.size(),
              record.fromEtag(),
              record.toEtag(),
              record.durationMilliseconds(),
              String.join(" and ", descriptions));
      log.info(message);
      listener.succeeded(database, record);
      return new BackupOutcome(
          database, Result.BACKED_UP, Optional.of(record), descriptions, message);
    } finally {
      Files.deleteIfExists(exported.path());
    }
  }

  /**
   * Runs a compaction step of the chain {@code written} belongs to, if the setup asks for
   * compaction and one is due (docs/DESIGN.md, "Continuous backup and compaction"); a failure is
   * logged and does not fail the run.
   */
  private void compact(
      ChangeSource source,
      PeriodicBackupSetup setup,
      List<DestinationProvider> providers,
      BackupFileName written,
      EncryptionKey key,
      DumpCompression compression,
      Lease lease) {
    Compactor.Result result =
        compactor.stepIfDue(
            new Compactor.Run(
                source,
                new DestinationContext(source.databaseName(), setup, source::setting),
                providers,
                written.chainStart(),
                key,
                compression,
                lease == null ? () -> {} : lease::renew),
            clock.instant());
    if (result.requests() > 0) {
      listener.compacted(
          source.databaseName(), result.written(), result.removed(), result.requests());
    }
  }

  /**
   * Gives up the backup leases this engine holds, so that another writer may take over at once
   * rather than when they expire. The engine may still run backups afterwards; they take the leases
   * again.
   */
  @Override
  public void close() {
    leases.close();
  }

  /**
   * Fails the run if its thread was interrupted. Checked after each upload so that an aborted run
   * never records a file as backed up.
   */
  static void abortIfInterrupted(String database, String stage) throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException(
          "backup of '"
              + database
              + "' was interrupted while "
              + stage
              + "; the status is unchanged and the next run covers the same changes");
    }
  }

  private static PeriodicBackupStatus readStatus(ChangeSource source) throws IOException {
    return StatusDocuments.read(source);
  }

  private void recordError(
      ChangeSource source, PeriodicBackupStatus status, Instant at, Exception failure) {
    String message =
        failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    try {
      source.putSystemDocument(
          SystemDocuments.STATUS_KEY,
          StatusDocuments.toJson(status.withError(new BackupError(at, message))));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
