package org.periodicbackups.core.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.periodicbackups.api.config.BackupCopy;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.DrillRecord;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.config.StatusDocuments;

/**
 * Micrometer meters for backups, bound to a host application's registry:
 *
 * <ul>
 *   <li>{@code pbk.backups} (counter; tags {@code database}, {@code type}): successful backups;
 *   <li>{@code pbk.backup.failures} (counter; tags {@code database}, {@code cause}, the failure's
 *       class such as {@code InvalidBackupException}): failed runs;
 *   <li>{@code pbk.uploaded.bytes} (counter; tags {@code database}, {@code destination}): bytes of
 *       backup files stored per destination;
 *   <li>{@code pbk.uploaded.files} (counter; tags {@code database}, {@code destination}): backup
 *       files stored per destination (one upload request each);
 *   <li>{@code pbk.compaction.files} (counter; tags {@code database}, {@code action}: {@code
 *       written} or {@code removed}): compacted files written and merged files removed;
 *   <li>{@code pbk.compaction.requests} (counter; tag {@code database}): requests compaction made
 *       of the destinations (listings, reads, uploads, removals);
 *   <li>{@code pbk.backup.bytes} (summary; tag {@code database}): size of each file;
 *   <li>{@code pbk.backup.duration} (timer; tag {@code database}): export and upload time;
 *   <li>{@code pbk.etags.pending} (gauge; tag {@code database}): etags written since the last
 *       successful backup, for the databases passed to {@link #watch(ChangeSource)};
 * </ul>
 *
 * <p>and, read from the status document of each watched database (NaN while unknown):
 *
 * <ul>
 *   <li>{@code pbk.last.backup.age} (seconds): since the last successful backup, the RPO now;
 *   <li>{@code pbk.last.drill.age} (seconds): since the last restore drill started;
 *   <li>{@code pbk.last.drill.proved}: 1 if the last drill proved the chain, else 0;
 *   <li>{@code pbk.proven.etag} and {@code pbk.proven.timestamp} (seconds since the epoch): the
 *       etag and time of the cut the last drill proved restorable;
 *   <li>{@code pbk.predicted.restore} (seconds): the database's documents divided by the last
 *       proved drill's documents per second.
 * </ul>
 *
 * <p>In Prometheus text these are {@code pbk_last_backup_age_seconds}, {@code pbk_backups_total},
 * {@code pbk_backup_failures_total}, {@code pbk_uploaded_bytes_total} and so on (see the README).
 *
 * <p>Pass it to the {@link BackupEngine} as its listener, and bind it with {@code
 * metrics.bindTo(registry)} (or let Micrometer call {@link #bindTo}).
 */
public final class BackupMetrics implements BackupListener, MeterBinder {
  private final Clock clock;
  private volatile MeterRegistry registry;
  private final Map<String, ChangeSource> watched = new ConcurrentHashMap<>();

  /** Metrics whose ages are measured by the system clock. */
  public BackupMetrics() {
    this(Clock.systemUTC());
  }

  /** Metrics whose ages are measured by {@code clock}. */
  public BackupMetrics(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock is null");
  }

  @Override
  public void bindTo(MeterRegistry meterRegistry) {
    this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry is null");
    watched.values().forEach(this::registerPendingGauge);
  }

  /** Adds the {@code pbk.etags.pending} gauge for {@code source}. */
  public void watch(ChangeSource source) {
    if (watched.putIfAbsent(source.databaseName(), source) == null && registry != null) {
      registerPendingGauge(source);
    }
  }

  /** Removes the gauges of {@code database} (deleted); its counters stay. */
  public void forget(String database) {
    MeterRegistry meters = registry;
    if (watched.remove(database) != null && meters != null) {
      meters.getMeters().stream()
          .filter(meter -> meter.getId().getType() == Meter.Type.GAUGE)
          .filter(meter -> database.equals(meter.getId().getTag("database")))
          .forEach(meters::remove);
    }
  }

  @Override
  public void succeeded(String database, BackupRecord backup) {
    MeterRegistry meters = registry;
    if (meters == null) {
      return;
    }
    Counter.builder("pbk.backups")
        .description("Successful backups")
        .tags("database", database, "type", backup.type().displayName())
        .register(meters)
        .increment();
    DistributionSummary.builder("pbk.backup.bytes")
        .baseUnit("bytes")
        .description("Size of each backup file")
        .tag("database", database)
        .register(meters)
        .record(backup.size());
    Timer.builder("pbk.backup.duration")
        .description("Export and upload time of each backup")
        .tag("database", database)
        .register(meters)
        .record(Duration.ofMillis(backup.durationMilliseconds()));
    for (BackupCopy copy : backup.copies()) {
      Counter.builder("pbk.uploaded.bytes")
          .baseUnit("bytes")
          .description("Bytes of backup files stored, per destination")
          .tags("database", database, "destination", copy.destination())
          .register(meters)
          .increment(backup.size());
      Counter.builder("pbk.uploaded.files")
          .description("Backup files stored, per destination")
          .tags("database", database, "destination", copy.destination())
          .register(meters)
          .increment();
    }
  }

  @Override
  public void compacted(String database, int written, int removed, int requests) {
    MeterRegistry meters = registry;
    if (meters == null) {
      return;
    }
    Counter.builder("pbk.compaction.files")
        .description("Compacted files written and merged files removed")
        .tags("database", database, "action", "written")
        .register(meters)
        .increment(written);
    Counter.builder("pbk.compaction.files")
        .description("Compacted files written and merged files removed")
        .tags("database", database, "action", "removed")
        .register(meters)
        .increment(removed);
    Counter.builder("pbk.compaction.requests")
        .description("Requests compaction made of the destinations")
        .tag("database", database)
        .register(meters)
        .increment(requests);
  }

  @Override
  public void failed(String database, Exception failure) {
    MeterRegistry meters = registry;
    if (meters != null) {
      Counter.builder("pbk.backup.failures")
          .description("Failed backup runs")
          .tags("database", database, "cause", failure.getClass().getSimpleName())
          .register(meters)
          .increment();
    }
  }

  private void registerPendingGauge(ChangeSource source) {
    Gauge.builder("pbk.etags.pending", source, BackupMetrics::pendingEtags)
        .description("Etags written since the last successful backup")
        .tag("database", source.databaseName())
        .register(registry);
    statusGauge(
        source,
        "pbk.last.backup.age",
        "seconds",
        "Seconds since the last successful backup (the RPO now)",
        status -> status.lastBackup() == null ? Double.NaN : secondsSince(status.lastBackup()));
    statusGauge(
        source,
        "pbk.last.drill.age",
        "seconds",
        "Seconds since the last restore drill started",
        status -> status.lastDrill() == null ? Double.NaN : secondsSince(status.lastDrill().at()));
    statusGauge(
        source,
        "pbk.last.drill.proved",
        null,
        "1 if the last restore drill proved the chain, else 0",
        status -> status.lastDrill() == null ? Double.NaN : status.lastDrill().proved() ? 1 : 0);
    statusGauge(
        source,
        "pbk.proven.etag",
        null,
        "The etag of the cut the last drill proved restorable",
        status -> proved(status) == null ? Double.NaN : proved(status).etag());
    statusGauge(
        source,
        "pbk.proven.timestamp",
        "seconds",
        "When the cut the last drill proved restorable was written (seconds since the epoch)",
        status -> proved(status) == null ? Double.NaN : proved(status).at().getEpochSecond());
    Gauge.builder("pbk.predicted.restore", source, BackupMetrics::predictedRestoreSeconds)
        .baseUnit("seconds")
        .description("Documents divided by the last proved drill's documents per second")
        .tag("database", source.databaseName())
        .register(registry);
  }

  private void statusGauge(
      ChangeSource source,
      String name,
      String unit,
      String description,
      ToDoubleFunction<PeriodicBackupStatus> value) {
    Gauge.builder(name, source, s -> readStatus(s).map(value::applyAsDouble).orElse(Double.NaN))
        .baseUnit(unit)
        .description(description)
        .tag("database", source.databaseName())
        .register(registry);
  }

  private double secondsSince(Instant at) {
    return Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0);
  }

  private static DrillRecord proved(PeriodicBackupStatus status) {
    DrillRecord drill = status.lastDrill();
    return drill != null && drill.proved() ? drill : null;
  }

  private static Optional<PeriodicBackupStatus> readStatus(ChangeSource source) {
    try {
      return Optional.of(StatusDocuments.read(source));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The database's documents over the last proved drill's rate; NaN without one. */
  static double predictedRestoreSeconds(ChangeSource source) {
    DrillRecord drill = readStatus(source).map(BackupMetrics::proved).orElse(null);
    if (drill == null || drill.documentsPerSecond() <= 0) {
      return Double.NaN;
    }
    try (ChangeSnapshot snapshot = source.openSnapshot()) {
      return snapshot
          .content()
          .map(content -> content.documents() / drill.documentsPerSecond())
          .orElse(Double.NaN);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Current etag minus the etag the status covers; NaN when it cannot be read. */
  static double pendingEtags(ChangeSource source) {
    try (ChangeSnapshot snapshot = source.openSnapshot()) {
      long covered = StatusDocuments.read(source).coveredEtag();
      return Math.max(0, snapshot.lastEtag() - covered);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
