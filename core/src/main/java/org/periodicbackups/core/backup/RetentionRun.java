package org.periodicbackups.core.backup;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.core.dump.BackupFileName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The retention step of a successful backup run (the rules are {@link RetentionPolicy}). */
final class RetentionRun {
  private static final Logger log = LoggerFactory.getLogger(RetentionRun.class);

  private RetentionRun() {}

  /**
   * Deletes old chains the setup's retention rules no longer keep, at every destination that lists
   * immediately. Runs only after the status was advanced, so it can never remove what the current
   * chain needs; a failure here is logged and does not fail the backup that succeeded.
   */
  static void apply(
      DestinationContext context,
      List<DestinationProvider> providers,
      BackupFileName written,
      Instant now) {
    PeriodicBackupSetup setup = context.setup();
    RetentionPolicy policy =
        new RetentionPolicy(
            setup.retentionKeepChains(),
            setup.retentionMinimumAgeMilliseconds() == null
                ? null
                : Duration.ofMillis(setup.retentionMinimumAgeMilliseconds()));
    if (!policy.isActive()) {
      return;
    }
    String database = context.databaseName();
    for (DestinationProvider provider : providers) {
      try (BackupDestination destination = provider.create(context)) {
        if (!destination.capabilities().immediateListing()) {
          log.info(
              "retention skipped at {}: it does not list files immediately",
              destination.description());
          continue;
        }
        List<String> doomed =
            policy.filesToDelete(
                destination.list(database + "/"), database, written.chainStart(), now);
        int retained = 0;
        Instant lockedUntil = null;
        Map<String, Instant> known = new HashMap<>();
        for (String name : doomed) {
          Optional<Instant> locked = ChainLocks.deleteUnlessLocked(destination, name, now, known);
          if (locked.isPresent()) {
            retained++;
            lockedUntil =
                lockedUntil == null || locked.get().isAfter(lockedUntil)
                    ? locked.get()
                    : lockedUntil;
          }
        }
        if (doomed.size() > retained) {
          log.info(
              "retention removed {} file(s) of old chains of '{}' from {}",
              doomed.size() - retained,
              database,
              destination.description());
        }
        if (retained > 0) {
          log.info(
              "retention retained {} file(s) of old chains of '{}' at {}: they are under Object"
                  + " Lock until {} at the latest, and go at the first run after that",
              retained,
              database,
              destination.description(),
              lockedUntil);
        }
      } catch (IOException | RuntimeException e) {
        log.warn(
            "retention at {} for '{}' failed; old chains stay until the next run: {}",
            provider.name(),
            database,
            e.getMessage());
      }
    }
  }
}
