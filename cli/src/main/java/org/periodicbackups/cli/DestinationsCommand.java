package org.periodicbackups.cli;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationReport;
import org.periodicbackups.core.destination.ResolvedDestinations;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pbk destinations}: the destination providers found (classpath and plugins folder) and, for
 * a database, which of them its setup document resolves to.
 */
@Command(
    name = "destinations",
    description = "List destination providers; with -d, show where a database's backups go.")
final class DestinationsCommand implements Callable<Integer> {
  @Option(
      names = {"-d", "--database"},
      paramLabel = "<name>",
      description = "Show the destinations this database's setup resolves to.")
  String database;

  @Override
  public Integer call() throws Exception {
    try (Workspace workspace = new Workspace()) {
      System.out.println("providers (classpath and " + GlobalOptions.plugins() + "):");
      for (DestinationProvider provider : workspace.registry().providers()) {
        System.out.printf(
            "  %-12s precedence %d  %s%n",
            provider.name(), provider.precedence(), provider.getClass().getName());
      }
      if (database != null) {
        SqliteDatabase db = workspace.database(database);
        Optional<String> setup = db.getSystemDocument(SystemDocuments.SETUP_KEY);
        if (setup.isEmpty()) {
          System.out.println("database '" + database + "' has no setup document; see pbk setup");
          return 0;
        }
        print(report(workspace, db, SetupDocuments.parse(setup.get())));
      }
      return 0;
    }
  }

  /** The destinations of {@code setup} for {@code db}, opened with the database's settings. */
  static DestinationReport report(Workspace workspace, SqliteDatabase db, PeriodicBackupSetup setup)
      throws IOException {
    return DestinationReport.of(
        workspace.registry(), new DestinationContext(db.databaseName(), setup, db::setting));
  }

  /**
   * Where backups go: the remote destination and the local copy with their locations (bucket,
   * prefix, region, endpoint, storage class, vault, folder), then what the precedence rule ignores
   * and why, and options given for providers the setup does not configure.
   */
  static void print(DestinationReport report) {
    ResolvedDestinations resolved = report.resolved();
    resolved.remote().ifPresent(p -> printOne("remote destination", p, report));
    resolved.localCopy().ifPresent(p -> printOne("local copy", p, report));
    resolved.ignored().forEach(line -> System.out.println("ignored: " + line));
    report.unused().forEach(line -> System.out.println("warning: " + line));
  }

  private static void printOne(
      String role, DestinationProvider provider, DestinationReport report) {
    System.out.println(role + ": " + provider.name() + " (" + provider.configuredBy() + ")");
    report
        .locationOf(provider.name())
        .ifPresent(where -> where.forEach((k, v) -> System.out.println("  " + k + ": " + v)));
  }
}
