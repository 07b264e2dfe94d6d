package org.periodicbackups.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.core.restore.ChainReport;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.VerificationReport;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pbk verify <folder>}: reads every backup file of every chain in a folder and checks it
 * as a restore would (complete, same database, unbroken chain, checksums), applying nothing.
 * Exits 1 if any chain is broken.
 */
@Command(name = "verify", description = "Check every backup chain in a folder; applies nothing.")
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<folder>",
      description = "A backup folder (LocalFolderName, or one database's folder in it).")
  Path source;

  @Option(names = "--source-database", paramLabel = "<name>",
      description = "Only this database's backups.")
  String sourceDatabase;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(source)) {
      throw new ConfigurationException("backup folder " + source + " does not exist or is not a"
          + " folder");
    }
    BackupFolder folder = BackupFolder.of(source, sourceDatabase);
    VerificationReport report;
    try (FilesystemDestination destination = new FilesystemDestination(folder.root())) {
      report = new ChainRestorer().verifyAll(destination, folder.prefix());
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
