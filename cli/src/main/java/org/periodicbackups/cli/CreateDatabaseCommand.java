package org.periodicbackups.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pbk create-database}: a new, empty database in the data folder. */
@Command(name = "create-database", description = "Create an empty database.")
final class CreateDatabaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<name>", description = "Letters, digits, '_', '.', '-'.")
  String name;

  @Option(
      names = "--setting",
      paramLabel = "<name=value>",
      description =
          "A database setting, e.g. Raven/ActiveBundles=PeriodicBackups (repeatable;"
              + " credentials are refused: set them with 'pbk settings set-secured').")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    // Before creating anything: a refused credential must not leave an empty database behind.
    settings.keySet().forEach(setting -> SettingsCommand.requirePlainAllowed(spec, setting));
    try (Workspace workspace = new Workspace()) {
      workspace.store().create(name, settings);
      System.out.println("created database '" + name + "' in " + GlobalOptions.dataDir);
      return 0;
    }
  }
}
