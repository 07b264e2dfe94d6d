package org.periodicbackups.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.destination.ResolvedDestinations;
import org.periodicbackups.tck.ConfiguredDestinationCompatibilityTest;
import org.periodicbackups.tck.KitReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pbk tck --setup setup.json}: runs the whole compatibility kit against the destination a
 * setup document configures (a real bucket, a plugin), prints one line per rule and a summary, and
 * exits 1 if a rule failed.
 */
@Command(name = "tck", description = "Run the compatibility kit against a configured destination.")
final class TckCommand implements Callable<Integer> {
  @Option(
      names = "--setup",
      required = true,
      paramLabel = "<setup.json>",
      description =
          "A setup document; each rule uses its own sub-folder of LocalFolderName or"
              + " S3RemoteFolderName.")
  Path setup;

  @Option(
      names = "--provider",
      paramLabel = "<name>",
      description = "The provider to test (default: where the setup sends files).")
  String provider;

  @Option(
      names = "--setting",
      paramLabel = "NAME=VALUE",
      description =
          "A database setting such as Raven/AWSAccessKey (repeatable). The secret key"
              + " Raven/AWSSecretKey is read from $PBK_AWS_SECRET_KEY only.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(setup)) {
      throw new ConfigurationException("setup file " + setup + " does not exist");
    }
    if (settings.containsKey(ConfiguredDestinationCompatibilityTest.SECRET_SETTING)) {
      throw new ConfigurationException(
          ConfiguredDestinationCompatibilityTest.SECRET_SETTING
              + " must not be given on the command line; set $"
              + ConfiguredDestinationCompatibilityTest.SECRET_ENV
              + " instead");
    }
    PeriodicBackupSetup parsed = SetupDocuments.parse(Files.readString(setup));
    DestinationRegistry registry =
        DestinationRegistry.discover(Main.class.getClassLoader(), GlobalOptions.plugins());
    String name = provider != null ? registry.require(provider).name() : resolve(registry, parsed);
    Properties saved = (Properties) System.getProperties().clone();
    try {
      System.setProperty(
          ConfiguredDestinationCompatibilityTest.SETUP, setup.toAbsolutePath().toString());
      System.setProperty(ConfiguredDestinationCompatibilityTest.PROVIDER, name);
      System.setProperty(
          ConfiguredDestinationCompatibilityTest.PLUGINS,
          GlobalOptions.plugins().toAbsolutePath().toString());
      settings.forEach(
          (key, value) ->
              System.setProperty(
                  ConfiguredDestinationCompatibilityTest.SETTING_PREFIX + key, value));
      System.out.println(
          "pbk tck: running the compatibility kit against '" + name + "' (" + setup + ")");
      KitReport report = KitReport.run(ConfiguredDestinationCompatibilityTest.class);
      report.print(System.out, name);
      return report.passed() ? 0 : ErrorReporter.FAILED;
    } finally {
      System.setProperties(saved);
    }
  }

  /** The destination the setup sends files to: the remote one, else the local folder. */
  private static String resolve(DestinationRegistry registry, PeriodicBackupSetup setup) {
    ResolvedDestinations resolved = new DestinationResolver(registry).resolve(setup);
    return resolved.remote().or(resolved::localCopy).map(DestinationProvider::name).orElseThrow();
  }
}
