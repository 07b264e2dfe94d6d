package org.periodicbackups.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.destination.ResolvedDestinations;
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
        Optional<String> setup =
            workspace.database(database).getSystemDocument(SystemDocuments.SETUP_KEY);
        if (setup.isEmpty()) {
          System.out.println("database '" + database + "' has no setup document; see pbk setup");
          return 0;
        }
        printResolution(
            new DestinationResolver(workspace.registry())
                .resolve(SetupDocuments.parse(setup.get())));
      }
      return 0;
    }
  }

  static void printResolution(ResolvedDestinations resolved) {
    resolved.remote().ifPresent(p -> System.out.println("remote destination: " + p.name()));
    resolved.localCopy().ifPresent(p -> System.out.println("local copy: " + p.name()));
    resolved.ignored().forEach(line -> System.out.println("ignored: " + line));
  }
}
