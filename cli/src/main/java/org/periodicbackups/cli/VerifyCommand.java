package org.periodicbackups.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.restore.ChainReport;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestorePlan;
import org.periodicbackups.core.restore.VerificationReport;
import org.periodicbackups.server.Folders;
import org.periodicbackups.store.sqlite.SqliteStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pbk verify <folder|s3://…|glacier://…>}: reads every backup file of every chain there and
 * checks it as a restore would (complete, same database, unbroken chain, checksums), applying
 * nothing; a snapshot file's image is rebuilt in a scratch folder for the store's integrity check,
 * and the folder removed. Exits 1 if any chain is broken.
 */
@Command(
    name = "verify",
    description = "Check every backup chain in a folder, a bucket or a vault; applies nothing.")
final class VerifyCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "<source>",
      description =
          "A backup folder (LocalFolderName, or one database's folder in it),"
              + " s3://bucket/prefix or glacier://vault.")
  String source;

  @Mixin RemoteOptions remote;

  @Mixin EncryptionKeyOptions encryption;

  @Option(
      names = "--source-database",
      paramLabel = "<name>",
      description = "Only this database's backups.")
  String sourceDatabase;

  @Option(
      names = "--scratch-dir",
      paramLabel = "<folder>",
      description =
          "Where a snapshot file's image is rebuilt as a database for the store's integrity"
              + " check, in a new folder removed afterwards (default: the system's temporary"
              + " folder); it needs about the size of the largest image.")
  Path scratchDir;

  @Option(
      names = "--plan",
      description =
          "Print what verifying reads and what getting it back takes (as smuggler in --plan),"
              + " for every chain; reads no backup data, requests nothing, changes nothing.")
  boolean plan;

  @Option(
      names = "--prices",
      paramLabel = "<file>",
      description = "A price table for --plan (JSON of the built-in table's shape).")
  Path prices;

  @Override
  public Integer call() throws Exception {
    if (plan) {
      return printPlan();
    }
    VerificationReport report;
    ProgressListener progress = new ProgressListener();
    Path scratch =
        scratchDir == null
            ? Files.createTempDirectory("pbk-verify-")
            : Files.createTempDirectory(Files.createDirectories(scratchDir), "pbk-verify-");
    try (BackupSource backups =
            BackupSource.open(
                source, sourceDatabase, remote, Workspace.discoverDestinations(), progress);
        SqliteStore images = new SqliteStore(scratch)) {
      report =
          new ChainRestorer(
                  progress,
                  ChainRestorer.DEFAULT_BATCH_OPERATIONS,
                  ChainRestorer.DEFAULT_BATCH_BYTES,
                  encryption.keys())
              .withScratch(images::newDatabaseTarget)
              .verifyAll(backups.destination(), backups.prefix());
    } finally {
      Folders.deleteTree(scratch);
    }
    if (report.chains().isEmpty()) {
      throw new ConfigurationException("no backup files found in " + source);
    }
    for (ChainReport chain : report.chains()) {
      String where = chain.database() + " chain started " + chain.chainStart();
      if (chain.ok()) {
        boolean image = !chain.files().isEmpty() && chain.files().get(0).file().isImage();
        System.out.printf(
            "OK      %s: %d file(s)%s; %s%n",
            where,
            chain.fileCount(),
            image
                ? ", its snapshot image passed the store's integrity check and content check"
                : "",
            chainEnd(chain));
      } else {
        System.out.printf("BROKEN  %s: %s%n", where, chain.problem());
      }
    }
    report.ignoredNames().forEach(name -> System.out.println("ignored " + name));
    return report.ok() ? 0 : ErrorReporter.FAILED;
  }

  private int printPlan() throws Exception {
    RestorePlanPrinter printer = new RestorePlanPrinter(prices, System.out);
    try (BackupSource backups =
        BackupSource.open(
            source,
            sourceDatabase,
            remote,
            Workspace.discoverDestinations(),
            new ProgressListener())) {
      List<RestorePlan> plans =
          new ChainRestorer().planAll(backups.destination(), backups.prefix());
      if (plans.isEmpty()) {
        throw new ConfigurationException("no backup files found in " + source);
      }
      for (RestorePlan chain : plans) {
        printer.print(backups.destination(), chain);
      }
    }
    printer.printNothingChanged();
    return 0;
  }

  /** What the chain's last file records of the source at its cut. */
  private static String chainEnd(ChainReport chain) {
    if (chain.files().isEmpty()) {
      return "no files";
    }
    DumpHeader last = chain.files().get(chain.files().size() - 1).header();
    return "ends at etag "
        + last.toEtag()
        + (last.content() == null
            ? " (no content recorded)"
            : " with " + last.content().describe() + " (" + ContentDigest.ALGORITHM + ")");
  }
}
