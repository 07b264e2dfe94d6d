package org.periodicbackups.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pbk create-database}: a new, empty database in the data folder. */
@Command(name = "create-database", description = "Create an empty database.")
final class CreateDatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<name>", description = "Letters, digits, '_', '.', '-'.")
  String name;

  @Option(names = "--setting", paramLabel = "<name=value>",
      description = "A database setting, e.g. Raven/ActiveBundles=PeriodicBackups (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    try (Workspace workspace = new Workspace()) {
      workspace.store().create(name, settings);
      System.out.println("created database '" + name + "' in " + GlobalOptions.dataDir);
      return 0;
    }
  }
}
