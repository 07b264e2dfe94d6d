package org.periodicbackups.cli;

import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.core.restore.ChainReport;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pbk verify <folder|s3://…|glacier://…>}: reads every backup file of every chain there and
 * checks it as a restore would (complete, same database, unbroken chain, checksums), applying
 * nothing. Exits 1 if any chain is broken.
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

  @Override
  public Integer call() throws Exception {
    VerificationReport report;
    ProgressListener progress = new ProgressListener();
    try (BackupSource backups =
        BackupSource.open(
            source, sourceDatabase, remote, Workspace.discoverDestinations(), progress)) {
      report =
          new ChainRestorer(
                  progress,
                  ChainRestorer.DEFAULT_BATCH_OPERATIONS,
                  ChainRestorer.DEFAULT_BATCH_BYTES,
                  encryption.keys())
              .verifyAll(backups.destination(), backups.prefix());
    }
    if (report.chains().isEmpty()) {
      throw new ConfigurationException("no backup files found in " + source);
    }
    for (ChainReport chain : report.chains()) {
      String where = chain.database() + " chain started " + chain.chainStart();
      if (chain.ok()) {
        System.out.printf("OK      %s: %d file(s)%n", where, chain.fileCount());
      } else {
        System.out.printf("BROKEN  %s: %s%n", where, chain.problem());
      }
    }
    report.ignoredNames().forEach(name -> System.out.println("ignored " + name));
    return report.ok() ? 0 : ErrorReporter.FAILED;
  }
}
