package org.periodicbackups.examples.guiceapp;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the injected {@link BackupEngine} for one database at a fixed delay, on a thread of its
 * own. A stand-in until {@code org.periodicbackups.core.scheduler} (which reads the interval from
 * the setup document and watches every database) can be injected instead.
 *
 * <p>Injecting it starts nothing; {@link #start} does. Each run's outcome is kept so that a
 * caller can wait for the backup that covers its writes.
 */
public final class BackupLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupLoop.class);

  private final BackupEngine engine;
  private final BlockingQueue<BackupOutcome> outcomes = new LinkedBlockingQueue<>();
  private ScheduledExecutorService executor;

  /** A loop around {@code engine}. */
  @Inject
  public BackupLoop(BackupEngine engine) {
    this.engine = requireNonNull(engine, "engine is null");
  }

  /** Backs up {@code database} now and then every {@code interval} after each run ends. */
  public synchronized void start(ChangeSource database, Duration interval) {
    if (executor != null) {
      throw new IllegalStateException("the loop is already started");
    }
    executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "backup-loop-" + database.databaseName());
      thread.setDaemon(true);
      return thread;
    });
    executor.scheduleWithFixedDelay(() -> runOnce(database), 0, interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Waits for a run that backed up everything up to {@code etag} and returns its record.
   *
   * @throws TimeoutException if none did within {@code timeout}
   */
  public BackupRecord awaitBackupCovering(long etag, Duration timeout)
      throws InterruptedException, TimeoutException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      BackupOutcome outcome = outcomes.poll(Math.max(left, 0), TimeUnit.MILLISECONDS);
      if (outcome == null) {
        throw new TimeoutException("no backup covered etag " + etag + " within " + timeout);
      }
      if (outcome.backup().isPresent() && outcome.backup().get().toEtag() >= etag) {
        return outcome.backup().get();
      }
    }
  }

  /** Stops the loop, letting a run in progress finish (for up to a minute). */
  @Override
  public synchronized void close() {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      executor.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller is being stopped too; keep the flag
    }
  }

  private void runOnce(ChangeSource database) {
    try {
      outcomes.add(engine.run(database, BackupRequest.SCHEDULED));
    } catch (IOException | RuntimeException e) {
      // The engine recorded the error in the status document and the next run retries; an
      // exception escaping here would cancel every later run.
      log.warn("backup of '{}' failed; retrying at the next run: {}",
          database.databaseName(), e.getMessage());
    }
  }
}
