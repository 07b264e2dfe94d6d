package org.periodicbackups.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.DrillRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.server.Drills;
import org.periodicbackups.store.sqlite.SqliteDatabase;
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
      ProgressListener progress = new ProgressListener();
      Drills.Outcome outcome =
          Drills.run(
                  workspace.registry(),
                  db,
                  setup,
                  encryption.keys(db),
                  scratchDir,
                  progress,
                  progress,
                  false)
              .orElseThrow();
      DrillRecord drill = outcome.record();
      String from = outcome.from();
      if (drill.result().equals(DrillRecord.FAILED)) {
        boolean neverBackedUp = StatusDocuments.read(db).lastBackup() == null;
        System.err.println(
            "pbk: drill of '"
                + database.name
                + "' from "
                + from
                + " failed: "
                + drill.error()
                + (neverBackedUp ? "; back it up first: pbk backup -d " + database.name : ""));
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
