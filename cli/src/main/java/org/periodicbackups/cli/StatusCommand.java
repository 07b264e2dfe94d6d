package org.periodicbackups.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.lease.LeaseReport;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pbk status}: the setup document, where backups go, the status document, the current etag
 * and whether new files are encrypted.
 */
@Command(
    name = "status",
    description =
        "Print the setup, where backups go (bucket, prefix, region, endpoint, vault, folder)"
            + " and who holds the backup lease there, the status document and the current etag"
            + " of a database.")
final class StatusCommand implements Callable<Integer> {
  @Mixin DatabaseOption database;

  @Override
  public Integer call() throws Exception {
    try (Workspace workspace = new Workspace()) {
      SqliteDatabase db = workspace.database(database.name);
      Optional<String> setup = db.getSystemDocument(SystemDocuments.SETUP_KEY);
      Optional<String> status = db.getSystemDocument(SystemDocuments.STATUS_KEY);
      System.out.println(SystemDocuments.SETUP_KEY + ":");
      System.out.println(setup.orElse("(none: periodic backups are not set up; see pbk setup)"));
      if (setup.isPresent()) {
        printDestinations(workspace, db, setup.get());
      }
      System.out.println(SystemDocuments.STATUS_KEY + ":");
      // Parsed and written again so that the output is the validated, pretty form.
      System.out.println(
          status
              .map(StatusDocuments::parse)
              .map(StatusDocuments::toJson)
              .orElse("(none: not backed up yet)"));
      status
          .map(StatusDocuments::parse)
          .ifPresent(parsed -> System.out.println(uploadRate(parsed)));
      System.out.println("current etag: " + db.lastEtag());
      System.out.println("encryption: " + encryption(db, setup));
      return 0;
    }
  }

  /**
   * Where backups go and who holds the backup lease at each destination, or why that cannot be
   * said; the status is shown either way.
   */
  private static void printDestinations(Workspace workspace, SqliteDatabase db, String setupJson)
      throws IOException {
    try {
      PeriodicBackupSetup setup = SetupDocuments.parse(setupJson);
      DestinationsCommand.print(DestinationsCommand.report(workspace, db, setup));
      DestinationContext context = new DestinationContext(db.databaseName(), setup, db::setting);
      for (DestinationProvider provider :
          new DestinationResolver(workspace.registry()).resolve(setup).inUploadOrder()) {
        try (BackupDestination destination = provider.create(context)) {
          System.out.println(
              "backup lease at "
                  + destination.description()
                  + ": "
                  + LeaseReport.describe(destination, db.databaseName(), Instant.now()));
        }
      }
    } catch (ConfigurationException e) {
      System.out.println("destinations: cannot be resolved: " + e.getMessage());
    }
  }

  /**
   * Files and uploads an hour over the files of the status history (its last 50), for the cost of a
   * continuous setup; compaction's requests are in the metrics.
   */
  static String uploadRate(PeriodicBackupStatus status) {
    List<BackupRecord> history = status.history();
    if (history.size() < 2) {
      return "upload rate: not known yet (fewer than 2 files in the status history)";
    }
    Duration span =
        Duration.between(history.get(0).startedAt(), history.get(history.size() - 1).startedAt());
    if (span.isZero() || span.isNegative()) {
      return "upload rate: not known (the history's files started at one time)";
    }
    double hours = span.toNanos() / 3.6e12;
    List<BackupRecord> after = history.subList(1, history.size());
    long uploads = after.stream().mapToLong(r -> r.copies().size()).sum();
    return String.format(
        Locale.ROOT,
        "upload rate (last %d files): %.0f files an hour, %.0f uploads an hour (one per"
            + " destination a file); compaction's requests: pbk_compaction_requests_total",
        history.size(),
        after.size() / hours,
        uploads / hours);
  }

  /** Whether new backup files are encrypted, and with which key id (never the key itself). */
  private static String encryption(SqliteDatabase db, Optional<String> setupJson)
      throws IOException {
    String mode = null;
    if (setupJson.isPresent()) {
      try {
        mode = SetupDocuments.parse(setupJson.get()).encryption();
      } catch (ConfigurationException e) {
        return "unknown: the setup document is not valid";
      }
    }
    if (PeriodicBackupSetup.ENCRYPTION_NONE.equals(mode)) {
      return "off (the setup says Encryption: none)";
    }
    Optional<String> stored = db.setting(EncryptionKey.SETTING);
    if (stored.isEmpty()) {
      return PeriodicBackupSetup.ENCRYPTION_REQUIRED.equals(mode)
          ? "required by the setup, but the database has no key: backups fail until one is made"
              + " with 'pbk settings generate-encryption-key -d "
              + db.databaseName()
              + "'"
          : "off (no key; 'pbk settings generate-encryption-key -d "
              + db.databaseName()
              + "' turns it on)";
    }
    try {
      String keyId = EncryptionKey.parse(stored.get(), EncryptionKey.SETTING).keyId();
      return "on: new backup files are encrypted with key id "
          + keyId
          + "; a restore elsewhere"
          + " needs that key ('pbk settings export-encryption-key' writes it to a file)";
    } catch (IllegalArgumentException e) {
      return "broken: the secured setting "
          + EncryptionKey.SETTING
          + " is not a valid key;"
          + " backups fail until it is replaced";
    }
  }
}
