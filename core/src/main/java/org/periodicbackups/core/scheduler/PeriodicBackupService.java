package org.periodicbackups.core.scheduler;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.backup.BackupEngine;

/**
 * The periodic backups of many databases: one {@link PeriodicBackupScheduler} each, all on one
 * executor, whose thread count bounds how many backups run at once (the others wait their turn).
 *
 * <p>Thread-safe. The executor is not owned: after {@link #shutdown} the caller shuts it down.
 */
public final class PeriodicBackupService {
  private final BackupEngine engine;
  private final BundleActivation activation;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final Map<String, PeriodicBackupScheduler> schedulers = new TreeMap<>();
  private boolean shutDown;

  /**
   * A service with no database yet.
   *
   * @param engine runs every backup
   * @param activation which databases have the bundle
   * @param executor runs the backups of every database
   * @param clock the time source; the engine should use the same one
   */
  public PeriodicBackupService(
      BackupEngine engine,
      BundleActivation activation,
      ScheduledExecutorService executor,
      Clock clock) {
    this.engine = requireNonNull(engine, "engine is null");
    this.activation = requireNonNull(activation, "activation is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Starts scheduling {@code source} (whether it has the bundle is checked at every schedule), or
   * returns its scheduler if it is already added.
   *
   * @throws IllegalStateException after {@link #shutdown}
   */
  public synchronized PeriodicBackupScheduler add(ChangeSource source) {
    if (shutDown) {
      throw new IllegalStateException("the periodic backup service is shut down");
    }
    PeriodicBackupScheduler existing = schedulers.get(source.databaseName());
    if (existing != null) {
      return existing;
    }
    PeriodicBackupScheduler scheduler =
        new PeriodicBackupScheduler(source, engine, activation, executor, clock);
    schedulers.put(source.databaseName(), scheduler);
    scheduler.start();
    return scheduler;
  }

  /** The scheduler of a database, if added. */
  public synchronized Optional<PeriodicBackupScheduler> scheduler(String database) {
    return Optional.ofNullable(schedulers.get(database));
  }

  /** The names of the databases added, sorted. */
  public synchronized SortedSet<String> databases() {
    return new TreeSet<>(schedulers.keySet());
  }

  /**
   * Stops and forgets one database's scheduler (for example when it was deleted); see {@link
   * PeriodicBackupScheduler#stop}.
   *
   * @return false if a run had to be interrupted
   */
  public boolean remove(String database, Duration timeout) throws InterruptedException {
    PeriodicBackupScheduler scheduler;
    synchronized (this) {
      scheduler = schedulers.remove(database);
    }
    return scheduler == null || scheduler.stop(timeout);
  }

  /** Re-reads every database's activation, setup and status (changes made by other processes). */
  public void refreshAll() {
    for (PeriodicBackupScheduler scheduler : snapshot()) {
      scheduler.refresh();
    }
  }

  /**
   * Stops every scheduler: no new runs start; runs in progress get {@code timeout} in all to
   * finish, then are interrupted and end without advancing their status. Then the engine gives up
   * its backup leases, so that another node can take over at once.
   *
   * @return true if every run ended within {@code timeout}
   */
  public boolean shutdown(Duration timeout) throws InterruptedException {
    List<PeriodicBackupScheduler> all;
    synchronized (this) {
      shutDown = true;
      all = List.copyOf(schedulers.values());
    }
    all.forEach(PeriodicBackupScheduler::cancel);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<PeriodicBackupScheduler> late = new ArrayList<>();
    for (PeriodicBackupScheduler scheduler : all) {
      if (!scheduler.awaitIdle(deadline)) {
        late.add(scheduler);
      }
    }
    late.forEach(PeriodicBackupScheduler::interruptRun);
    long grace = System.nanoTime() + PeriodicBackupScheduler.INTERRUPT_GRACE.toNanos();
    for (PeriodicBackupScheduler scheduler : late) {
      scheduler.awaitIdle(grace);
    }
    engine.close();
    return late.isEmpty();
  }

  private synchronized List<PeriodicBackupScheduler> snapshot() {
    return List.copyOf(schedulers.values());
  }
}
