package org.periodicbackups.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.destination.ResolvedDestinations;
import org.periodicbackups.tck.ConfiguredDestinationCompatibilityTest;
import org.periodicbackups.tck.KitReport;
import org.periodicbackups.tck.RepositoryAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pbk tck --setup setup.json}: runs the whole compatibility kit against the destination a
 * setup document configures (a real bucket, a plugin), prints one line per rule and a summary, and
 * exits 1 if a rule failed. With {@code --analyze}, runs a {@link RepositoryAnalysis} instead: many
 * blobs of random sizes, concurrently, under an empty prefix of its own.
 */
@Command(
    name = "tck",
    description = {
      "Run the compatibility kit against a configured destination, or, with --analyze, check a"
          + " real bucket under load: uploads, early reads, listings, reads, overwrites and deletes"
          + " of many blobs under an empty prefix, removed after.",
      "Exit codes: 0 every rule passed (no anomaly), 1 a rule failed (an anomaly), 3 the setup"
          + " or an option is invalid, or the analysis prefix is not empty."
    })
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
              + " Raven/AWSSecretKey is read from $PBK_AWS_SECRET_KEY or --aws-secret-key-file, never"
              + " from this option.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--aws-secret-key-file",
      paramLabel = "<file>",
      description = "A file whose first line is Raven/AWSSecretKey (default: $PBK_AWS_SECRET_KEY).")
  Path secretKeyFile;

  @Option(
      names = "--analyze",
      description =
          "Analyse the destination under load instead of running the kit's rules; writes only"
              + " under --prefix, which must be empty, and removes what it wrote.")
  boolean analyze;

  @Option(
      names = "--blobs",
      paramLabel = "<n>",
      defaultValue = "100",
      description = "Analysis: how many blobs to upload (default: ${DEFAULT-VALUE}).")
  int blobs;

  @Option(
      names = "--max-size",
      paramLabel = "<size>",
      defaultValue = "10MiB",
      converter = ServerCommand.SizeConverter.class,
      description =
          "Analysis: the largest blob, such as 512KiB or 10MiB (default: ${DEFAULT-VALUE});"
              + " sizes are log-uniform below it, with one of the largest, one empty, one of 1"
              + " byte.")
  long maxSize;

  @Option(
      names = "--concurrency",
      paramLabel = "<n>",
      defaultValue = "8",
      description = "Analysis: uploads, reads and deletes at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--early-reads",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Analysis: read each blob while it is uploaded; it must be absent or whole (default:"
              + " on).")
  boolean earlyReads;

  @Option(
      names = "--overwrites",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Analysis: overwrite every fifth blob with a new size while reading it (default: on).")
  boolean overwrites;

  @Option(
      names = "--prefix",
      paramLabel = "<prefix>",
      description =
          "Analysis: the prefix to write under, inside the destination's folder; must be empty"
              + " (default: pbk-analysis-<UTC time>).")
  String prefix;

  @Option(
      names = "--seed",
      paramLabel = "<n>",
      description = "Analysis: the seed of sizes and contents, to repeat a run (default: random).")
  Long seed;

  @Option(
      names = "--listing-wait",
      paramLabel = "<duration>",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Analysis: how long to wait for listings of destinations whose listing lags (default:"
              + " ${DEFAULT-VALUE}).")
  Duration listingWait;

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
              + " or pass --aws-secret-key-file instead");
    }
    PeriodicBackupSetup parsed = SetupDocuments.parse(Files.readString(setup));
    DestinationRegistry registry =
        DestinationRegistry.discover(Main.class.getClassLoader(), GlobalOptions.plugins());
    String name = provider != null ? registry.require(provider).name() : resolve(registry, parsed);
    if (secretKeyFile != null && !Files.isReadable(secretKeyFile)) {
      throw new ConfigurationException("the secret key file " + secretKeyFile + " is not readable");
    }
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
      if (secretKeyFile != null) {
        System.setProperty(
            ConfiguredDestinationCompatibilityTest.SECRET_FILE,
            secretKeyFile.toAbsolutePath().toString());
      }
      if (analyze) {
        return analyze(registry.require(name), parsed);
      }
      System.out.println(
          "pbk tck: running the compatibility kit against '" + name + "' (" + setup + ")");
      KitReport report = KitReport.run(ConfiguredDestinationCompatibilityTest.class);
      report.print(System.out, name);
      return report.passed() ? 0 : ErrorReporter.FAILED;
    } finally {
      System.setProperties(saved);
    }
  }

  private int analyze(DestinationProvider chosen, PeriodicBackupSetup parsed) throws IOException {
    RepositoryAnalysis.Options options =
        new RepositoryAnalysis.Options(
            blobs,
            maxSize,
            concurrency,
            earlyReads,
            overwrites,
            prefix != null ? prefix : defaultPrefix(),
            seed != null ? seed : new SecureRandom().nextLong(),
            listingWait);
    Map<String, String> given = ConfiguredDestinationCompatibilityTest.settings();
    DestinationContext context =
        new DestinationContext("tck", parsed, key -> Optional.ofNullable(given.get(key)));
    try (BackupDestination destination = chosen.create(context)) {
      System.out.println(
          "pbk tck --analyze: "
              + blobs
              + " blobs of at most "
              + maxSize
              + " bytes, concurrency "
              + concurrency
              + ", against '"
              + chosen.name()
              + "' ("
              + setup
              + ")");
      long start = System.nanoTime();
      RepositoryAnalysis.Report report = RepositoryAnalysis.run(destination, options);
      report.print(System.out);
      System.out.printf(
          Locale.ROOT,
          "pbk tck --analyze: %s: %s in %.1f s%n",
          chosen.name(),
          report.clean() ? "no anomalies" : report.anomalies().size() + " anomalies",
          (System.nanoTime() - start) / 1e9);
      return report.clean() ? 0 : ErrorReporter.FAILED;
    }
  }

  private static String defaultPrefix() {
    return "pbk-analysis-"
        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
  }

  /** The destination the setup sends files to: the remote one, else the local folder. */
  private static String resolve(DestinationRegistry registry, PeriodicBackupSetup setup) {
    ResolvedDestinations resolved = new DestinationResolver(registry).resolve(setup);
    return resolved.remote().or(resolved::localCopy).map(DestinationProvider::name).orElseThrow();
  }
}
