package org.periodicbackups.core.scheduler;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up one database periodically (docs/DESIGN.md, "The flow of one document through a backup"):
 * runs {@link BackupEngine#run} with {@link BackupRequest#SCHEDULED} at the times {@link
 * BackupSchedule} computes, on a shared executor.
 *
 * <ul>
 *   <li>{@link #start()} computes the first run from the status document, so a backup that became
 *       overdue while the process was down runs at once.
 *   <li>The next run is scheduled when a run starts (and again when it ends), so a run that takes
 *       longer than the interval sees the tick that arrives meanwhile skipped, as in the original.
 *   <li>{@link #onDocumentChanged} with the setup key moves the schedule at once; any other key
 *       (the status document in particular) is ignored, so writing the status never triggers a run.
 *   <li>A failed run is logged and recorded by the engine; the schedule goes on.
 *   <li>{@link #stop} waits a bounded time for a run in progress, then interrupts it; the engine
 *       then fails the run without advancing the status.
 * </ul>
 *
 * <p>Thread-safe. The executor is shared and not owned: stopping the scheduler does not shut it
 * down. The clock and the executor are injected so that tests control time.
 */
public final class PeriodicBackupScheduler {
  private static final Logger log = LoggerFactory.getLogger(PeriodicBackupScheduler.class);

  /** When reading the schedule failed, how long until it is read again. */
  static final Duration RETRY_AFTER_READ_FAILURE = Duration.ofMinutes(1);

  /** How long {@link #stop} waits for an interrupted run to end. */
  static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

  private final ChangeSource source;
  private final BackupEngine engine;
  private final BundleActivation activation;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final AtomicLong skippedTicks = new AtomicLong();

  // Guarded by this.
  private long generation;
  private ScheduledFuture<?> pending;
  private Instant nextRunAt;
  private Instant lastRunAt;
  private Thread runner;
  private boolean stopped;
  private String lastPlan = "";

  /**
   * A scheduler for {@code source}; nothing runs before {@link #start()}.
   *
   * @param source the database
   * @param engine runs the backups (it may be shared by many schedulers)
   * @param activation whether the database has the bundle; checked at every schedule and run
   * @param executor runs the backups; shared by many schedulers, its size bounds how many run at
   *     once
   * @param clock the time source; the engine should use the same one
   */
  public PeriodicBackupScheduler(
      ChangeSource source,
      BackupEngine engine,
      BundleActivation activation,
      ScheduledExecutorService executor,
      Clock clock) {
    this.source = requireNonNull(source, "source is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.activation = requireNonNull(activation, "activation is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The database's name. */
  public String databaseName() {
    return source.databaseName();
  }

  /** Schedules the first run (or none, if the database has no active schedule). */
  public void start() {
    refresh();
  }

  /**
   * Reads the activation, setup and status again and moves the next run accordingly. Safe to call
   * from any thread at any time; does nothing after {@link #stop}.
   */
  public synchronized void refresh() {
    if (stopped) {
      return;
    }
    cancelPending();
    Optional<Instant> due;
    try {
      due = plan();
    } catch (IOException | RuntimeException e) {
      // An unreadable or invalid setup may be fixed later, also by another process.
      logPlan(
          "cannot read its schedule ("
              + e.getMessage()
              + "); trying again in "
              + RETRY_AFTER_READ_FAILURE.toSeconds()
              + " s",
          true);
      due = Optional.of(clock.instant().plus(RETRY_AFTER_READ_FAILURE));
    }
    if (due.isPresent()) {
      schedule(due.get());
    }
  }

  /**
   * Tells the scheduler that a document of its database changed (for example from a change listener
   * of the store). The setup document reschedules at once; every other key, the status document
   * included, is ignored. Quick: two small reads.
   */
  public void onDocumentChanged(String key) {
    if (SystemDocuments.SETUP_KEY.equals(key)) {
      refresh();
    }
  }

  /** When the next run is due, if one is scheduled. */
  public synchronized Optional<Instant> nextRunAt() {
    return Optional.ofNullable(nextRunAt);
  }

  /** Whether a run is in progress. */
  public synchronized boolean isRunning() {
    return runner != null;
  }

  /** How many ticks arrived while a run was in progress and were skipped. */
  public long skippedTicks() {
    return skippedTicks.get();
  }

  /**
   * Stops scheduling, waits up to {@code timeout} for a run in progress, then interrupts it (the
   * engine fails it without advancing the status) and waits a few seconds more.
   *
   * @return true if no run was in progress or it ended within {@code timeout}
   */
  public boolean stop(Duration timeout) throws InterruptedException {
    cancel();
    if (awaitIdle(System.nanoTime() + timeout.toNanos())) {
      return true;
    }
    interruptRun();
    awaitIdle(System.nanoTime() + INTERRUPT_GRACE.toNanos());
    return false;
  }

  /** Stops scheduling; a run in progress goes on. */
  synchronized void cancel() {
    stopped = true;
    cancelPending();
  }

  /** Waits until no run is in progress or {@code deadlineNanos} ({@link System#nanoTime}). */
  synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
    while (runner != null) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, remaining);
    }
    return true;
  }

  /** Interrupts the run in progress, if any. */
  synchronized void interruptRun() {
    if (runner != null) {
      log.warn(
          "periodic backups of '{}': interrupting the backup in progress (shutting down);"
              + " its status stays as it was",
          databaseName());
      runner.interrupt();
    }
  }

  private Optional<Instant> plan() throws IOException {
    if (!activation.isActiveFor(source)) {
      logPlan(
          "not scheduled: the "
              + BundleActivation.BUNDLE_NAME
              + " bundle is not active ("
              + BundleActivation.ACTIVE_BUNDLES_SETTING
              + ")",
          false);
      return Optional.empty();
    }
    Optional<String> setupJson = source.getSystemDocument(SystemDocuments.SETUP_KEY);
    if (setupJson.isEmpty()) {
      logPlan("not scheduled: no setup document (" + SystemDocuments.SETUP_KEY + ")", false);
      return Optional.empty();
    }
    PeriodicBackupSetup setup = SetupDocuments.parse(setupJson.get());
    PeriodicBackupStatus status = StatusDocuments.read(source);
    Optional<Instant> due = BackupSchedule.nextRun(setup, status, lastRunAt, clock.instant());
    if (setup.disabled()) {
      logPlan("not scheduled: Disabled is true in its setup", false);
    } else if (due.isEmpty()) {
      logPlan(
          "not scheduled: its setup sets neither IntervalMilliseconds nor"
              + " FullBackupIntervalMilliseconds",
          false);
    } else {
      logPlan(
          "scheduled: incremental every "
              + millis(setup.effectiveIntervalMilliseconds())
              + (Objects.equals(setup.effectiveIntervalMilliseconds(), setup.intervalMilliseconds())
                  ? ""
                  : " (IntervalMilliseconds "
                      + setup.intervalMilliseconds()
                      + " stretched by MaxFilesPerHour "
                      + setup.maxFilesPerHour()
                      + ")")
              + ", full every "
              + millis(setup.fullBackupIntervalMilliseconds()),
          false);
    }
    return due;
  }

  private void schedule(Instant due) {
    long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
    long ticket = generation;
    try {
      pending = executor.schedule(() -> tick(ticket), delay, TimeUnit.MILLISECONDS);
      nextRunAt = due;
      log.debug("periodic backups of '{}': next run at {}", databaseName(), due);
    } catch (RejectedExecutionException e) {
      log.debug("periodic backups of '{}': executor shut down, nothing scheduled", databaseName());
    }
  }

  private void tick(long ticket) {
    synchronized (this) {
      if (stopped || ticket != generation) {
        return; // cancelled or superseded by a reschedule
      }
      if (runner != null) {
        skippedTicks.incrementAndGet();
        log.debug(
            "periodic backups of '{}': a backup is still running; tick skipped", databaseName());
        return;
      }
      runner = Thread.currentThread();
      lastRunAt = clock.instant();
    }
    try {
      refresh(); // the next tick, which a long run may see skipped
      if (activation.isActiveFor(source)) {
        BackupOutcome outcome = engine.run(source, BackupRequest.SCHEDULED);
        log.debug("periodic backups of '{}': {}", databaseName(), outcome.message());
      }
    } catch (IOException | RuntimeException e) {
      // The engine recorded the failure in the status document and left the logging to callers.
      log.warn(
          "backup of '{}' failed: {}; retrying at the next tick",
          databaseName(),
          e.getMessage() != null ? e.getMessage() : e.toString());
    } finally {
      synchronized (this) {
        runner = null;
        notifyAll();
      }
      Thread.interrupted(); // an interrupt meant for this run must not reach the pool's next task
      refresh();
    }
  }

  private void cancelPending() {
    generation++;
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
    nextRunAt = null;
  }

  /** Logs a change of plan once, not at every refresh. */
  private void logPlan(String plan, boolean problem) {
    if (plan.equals(lastPlan)) {
      return;
    }
    lastPlan = plan;
    if (problem) {
      log.warn("periodic backups of '{}': {}", databaseName(), plan);
    } else {
      log.info("periodic backups of '{}': {}", databaseName(), plan);
    }
  }

  private static String millis(Long value) {
    return value == null ? "(not set)" : value + " ms";
  }

  @Override
  public String toString() {
    return "PeriodicBackupScheduler[" + databaseName() + "]";
  }
}
