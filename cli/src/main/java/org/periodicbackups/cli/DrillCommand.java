package org.periodicbackups.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.DrillRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.ResolvedDestinations;
import org.periodicbackups.core.restore.RestoreDrill;
import org.periodicbackups.server.Folders;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pbk drill}: restores a database's latest chain from where its backups go (the remote
 * destination when there is one, else the local copy) into a scratch folder, proves the result
 * equals the source at the chain's cut, and records {@code LastDrill} in the status document.
 */
@Command(
    name = "drill",
    description =
        "Restore the latest chain from the database's destination into a scratch folder, prove it"
            + " equals the source at the chain's cut, and record LastDrill in the status.")
final class DrillCommand implements Callable<Integer> {
  @Mixin DatabaseOption database;

  @Mixin EncryptionKeyOptions encryption;

  @Option(
      names = "--scratch-dir",
      paramLabel = "<folder>",
      description =
          "Where the drill restores (a new folder inside it, removed after; default: the system's"
              + " temporary folder). It needs room for one copy of the database.")
  Path scratchDir;

  @Override
  public Integer call() throws Exception {
    try (Workspace workspace = new Workspace()) {
      SqliteDatabase db = workspace.database(database.name);
      PeriodicBackupSetup setup =
          SetupDocuments.parse(
              db.getSystemDocument(SystemDocuments.SETUP_KEY)
                  .orElseThrow(
                      () ->
                          new ConfigurationException(
                              "database '"
                                  + database.name
                                  + "' has no setup document, so no backups to drill; see pbk"
                                  + " setup")));
      ResolvedDestinations resolved = DestinationsCommand.report(workspace, db, setup).resolved();
      Optional<DestinationProvider> remote = resolved.remote();
      DestinationProvider provider =
          remote
              .or(resolved::localCopy)
              .orElseThrow(
                  () ->
                      new ConfigurationException(
                          "the setup of database '" + database.name + "' has no destination"));
      ProgressListener progress = new ProgressListener();
      Path scratch =
          scratchDir == null
              ? Files.createTempDirectory("pbk-drill-")
              : Files.createTempDirectory(Files.createDirectories(scratchDir), "pbk-drill-");
      DrillRecord drill;
      try (BackupDestination destination =
              provider.create(
                  new DestinationContext(db.databaseName(), setup, db::setting)
                      .withWaitListener(progress));
          SqliteStore scratchStore = new SqliteStore(scratch)) {
        drill =
            new RestoreDrill(Clock.systemUTC(), progress, encryption.keys(db))
                .run(db, destination, scratchStore::newDatabaseTarget);
      } finally {
        Folders.deleteTree(scratch);
      }
      String from = (remote.isPresent() ? "remote destination " : "local copy ") + provider.name();
      if (drill.result().equals(DrillRecord.FAILED)) {
        System.err.println(
            "pbk: drill of '" + database.name + "' from " + from + " failed: " + drill.error());
        return ErrorReporter.FAILED;
      }
      System.out.printf(
          "drill of '%s' from %s: %s; restored up to %s (etag %d) in %.1f s, %,d bytes read,"
              + " %,.0f documents/s%n",
          database.name,
          from,
          drill.proved()
              ? "the restored database equals the source at the chain's cut"
              : "restored, but the files record no content to prove it by",
          drill.lastFile(),
          drill.etag(),
          drill.durationMillis() / 1000.0,
          drill.bytes(),
          drill.documentsPerSecond());
      return 0;
    }
  }
}
