package org.periodicbackups.core.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.config.StatusDocuments;

/**
 * Micrometer meters for backups, bound to a host application's registry:
 *
 * <ul>
 *   <li>{@code pbk.backups} (counter; tags {@code database}, {@code type}): successful backups;
 *   <li>{@code pbk.backup.failures} (counter; tag {@code database}): failed runs;
 *   <li>{@code pbk.backup.bytes} (summary; tag {@code database}): size of each file;
 *   <li>{@code pbk.backup.duration} (timer; tag {@code database}): export and upload time;
 *   <li>{@code pbk.etags.pending} (gauge; tag {@code database}): etags written since the last
 *       successful backup, for the databases passed to {@link #watch(ChangeSource)}.
 * </ul>
 *
 * <p>Pass it to the {@link BackupEngine} as its listener, and bind it with {@code
 * metrics.bindTo(registry)} (or let Micrometer call {@link #bindTo}).
 */
public final class BackupMetrics implements BackupListener, MeterBinder {
  private volatile MeterRegistry registry;
  private final Map<String, ChangeSource> watched = new ConcurrentHashMap<>();

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
  }

  @Override
  public void failed(String database, Exception failure) {
    MeterRegistry meters = registry;
    if (meters != null) {
      Counter.builder("pbk.backup.failures")
          .description("Failed backup runs")
          .tag("database", database)
          .register(meters)
          .increment();
    }
  }

  private void registerPendingGauge(ChangeSource source) {
    Gauge.builder("pbk.etags.pending", source, BackupMetrics::pendingEtags)
        .description("Etags written since the last successful backup")
        .tag("database", source.databaseName())
        .register(registry);
  }

  /** Current etag minus the etag the status covers; NaN when it cannot be read. */
  static double pendingEtags(ChangeSource source) {
    try (ChangeSnapshot snapshot = source.openSnapshot()) {
      long covered =
          source
              .getSystemDocument(SystemDocuments.STATUS_KEY)
              .map(StatusDocuments::parse)
              .map(s -> s.coveredEtag())
              .orElse(0L);
      return Math.max(0, snapshot.lastEtag() - covered);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
