package org.periodicbackups.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code pbk} command; each task is a subcommand. */
@Command(
    name = "pbk",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Periodic incremental backups of a document database to pluggable destinations.",
    subcommands = {
      DemoCommand.class,
      CreateDatabaseCommand.class,
      SettingsCommand.class,
      DatabasesCommand.class,
      DocumentCommands.Put.class,
      DocumentCommands.Get.class,
      DocumentCommands.Delete.class,
      AttachmentCommands.Put.class,
      AttachmentCommands.Get.class,
      AttachmentCommands.Delete.class,
      ImportCommand.class,
      SetupCommand.class,
      BackupCommand.class,
      RunCommand.class,
      ServerCommand.class,
      StatusCommand.class,
      DestinationsCommand.class,
      SmugglerCommand.class,
      VerifyCommand.class,
      TckCommand.class,
    })
final class PbkCommand implements Runnable {

  PbkCommand() {
    GlobalOptions.reset();
  }

  @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "<folder>",
      description = "Folder of the embedded databases (default: $PBK_DATA_DIR or ./pbk-data).")
  void dataDir(Path folder) {
    GlobalOptions.dataDir = folder;
  }

  @Option(names = "--plugins", scope = ScopeType.INHERIT, paramLabel = "<folder>",
      description = "Folder of destination plugin jars (default: <data-dir>/plugins).")
  void plugins(Path folder) {
    GlobalOptions.pluginsDir = folder;
  }

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  void verbose(boolean verbose) {
    GlobalOptions.verbose = verbose;
  }

  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }
}
