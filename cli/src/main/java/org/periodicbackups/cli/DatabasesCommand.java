package org.periodicbackups.cli;

import java.util.concurrent.Callable;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;

/** {@code pbk databases}: the databases of the data folder, with their sizes. */
@Command(name = "databases", description = "List the databases of the data folder.")
final class DatabasesCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    try (Workspace workspace = new Workspace()) {
      for (String name : workspace.store().list()) {
        SqliteDatabase database = workspace.database(name);
        System.out.printf(
            "%s\t%d documents\t%d attachments\tetag %d%n",
            name, database.documentCount(), database.attachmentCount(), database.lastEtag());
      }
      return 0;
    }
  }
}
