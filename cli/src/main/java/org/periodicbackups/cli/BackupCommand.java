package org.periodicbackups.cli;

import java.util.concurrent.Callable;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pbk backup}: one backup run now, incremental unless a full one is due or asked for. */
@Command(name = "backup", description = "Back up a database now (incremental unless --full).")
final class BackupCommand implements Callable<Integer> {
  @Mixin DatabaseOption database;

  @Option(names = "--full", description = "Start a new chain with a full backup.")
  boolean full;

  @Override
  public Integer call() throws Exception {
    try (Workspace workspace = new Workspace();
        BackupEngine engine = workspace.engine(new BackupProgress())) {
      // Closing the engine gives the backup lease up, so a daemon elsewhere need not wait for it.
      BackupOutcome outcome =
          engine.run(workspace.database(database.name), new BackupRequest(full, true));
      if (outcome.result() == BackupOutcome.Result.ALREADY_RUNNING) {
        // The run asked for did not happen; a script must not take it for a backup.
        System.err.println("pbk: " + outcome.message());
        return 1;
      }
      System.out.println(outcome.message());
      return 0;
    }
  }
}
