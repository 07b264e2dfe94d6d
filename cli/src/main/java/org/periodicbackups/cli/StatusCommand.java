package org.periodicbackups.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pbk status}: the setup and status documents of a database. */
@Command(name = "status", description = "Print the setup and status documents of a database.")
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
      System.out.println(SystemDocuments.STATUS_KEY + ":");
      // Parsed and written again so that the output is the validated, pretty form.
      System.out.println(status.map(StatusDocuments::parse).map(StatusDocuments::toJson)
          .orElse("(none: not backed up yet)"));
      System.out.println("current etag: " + db.lastEtag());
      return 0;
    }
  }
}
