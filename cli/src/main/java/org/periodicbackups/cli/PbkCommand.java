package org.periodicbackups.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code pbk} command; each task is a subcommand. Its attributes are inherited (scope
 * INHERIT), so every command at every level answers {@code -h}/{@code --help} and {@code -V}/{@code
 * --version}; {@code pbk help <command>} prints a command's usage.
 */
@Command(
    name = "pbk",
    scope = ScopeType.INHERIT,
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
      DrillCommand.class,
      TckCommand.class,
      HelpCommand.class,
    })
final class PbkCommand implements Runnable {
  @Spec CommandSpec spec;

  PbkCommand() {
    GlobalOptions.reset();
  }

  @Option(
      names = "--data-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "<folder>",
      description = "Folder of the embedded databases (default: $PBK_DATA_DIR or ./pbk-data).")
  void dataDir(Path folder) {
    GlobalOptions.dataDir = folder;
  }

  @Option(
      names = "--plugins",
      scope = ScopeType.INHERIT,
      paramLabel = "<folder>",
      description = "Folder of destination plugin jars (default: <data-dir>/plugins).")
  void plugins(Path folder) {
    GlobalOptions.pluginsDir = folder;
  }

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  void verbose(boolean verbose) {
    GlobalOptions.verbose = verbose;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
