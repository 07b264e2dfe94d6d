package org.periodicbackups.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.Json;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.destination.ResolvedDestinations;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pbk setup}: write the setup document {@code Raven/Backup/Periodic/Setup}, from flags or
 * from a JSON file. The document is validated and its destinations resolved before it is saved, so
 * a typo or a missing destination jar is reported instead of failing at the next backup.
 */
@Command(name = "setup", description = "Write the periodic backup setup document of a database.")
final class SetupCommand implements Callable<Integer> {
  @Mixin DatabaseOption database;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(
        names = "--file",
        paramLabel = "<setup.json>",
        description = "A setup document in JSON (RavenDB field names).")
    Path file;

    @ArgGroup(exclusive = false)
    Fields fields;
  }

  static final class Fields {
    @Option(names = "--local-folder", description = "LocalFolderName")
    String localFolder;

    @Option(names = "--s3-bucket", description = "S3BucketName")
    String s3Bucket;

    @Option(names = "--s3-folder", description = "S3RemoteFolderName")
    String s3Folder;

    @Option(names = "--glacier-vault", description = "GlacierVaultName")
    String glacierVault;

    @Option(names = "--region", description = "AwsRegionEndpoint (default us-east-1)")
    String region;

    @Option(
        names = "--interval",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        description =
            "IntervalMilliseconds: time between incremental backups, e.g. 1h, 15m"
                + " or 3600000 (ms).")
    Duration interval;

    @Option(
        names = "--full-interval",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        description = "FullBackupIntervalMilliseconds: time between full backups, e.g. 1d.")
    Duration fullInterval;

    @Option(names = "--disabled", description = "Disabled")
    boolean disabled;

    @Option(names = "--keep-chains", paramLabel = "<n>", description = "RetentionKeepChains")
    Integer keepChains;

    @Option(
        names = "--keep-minimum-age",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        description =
            "RetentionMinimumAgeMilliseconds: never delete backups younger than"
                + " this, e.g. 7d.")
    Duration keepMinimumAge;
  }

  @Override
  public Integer call() throws Exception {
    String json =
        source.file != null
            ? Files.readString(source.file, StandardCharsets.UTF_8)
            : fromFlags(source.fields);
    PeriodicBackupSetup setup = SetupDocuments.parse(json);
    try (Workspace workspace = new Workspace()) {
      ResolvedDestinations resolved = new DestinationResolver(workspace.registry()).resolve(setup);
      workspace
          .database(database.name)
          .putSystemDocument(SystemDocuments.SETUP_KEY, SetupDocuments.toJson(setup));
      System.out.println("saved " + SystemDocuments.SETUP_KEY + " of '" + database.name + "'");
      DestinationsCommand.printResolution(resolved);
      return 0;
    }
  }

  private static String fromFlags(Fields fields) {
    ObjectNode node = Json.mapper().createObjectNode();
    if (fields.disabled) {
      node.put("Disabled", true);
    }
    putIfSet(node, "GlacierVaultName", fields.glacierVault);
    putIfSet(node, "S3BucketName", fields.s3Bucket);
    putIfSet(node, "AwsRegionEndpoint", fields.region);
    putIfSet(node, "S3RemoteFolderName", fields.s3Folder);
    putIfSet(node, "LocalFolderName", fields.localFolder);
    putMillisecondsIfSet(node, "IntervalMilliseconds", fields.interval);
    putMillisecondsIfSet(node, "FullBackupIntervalMilliseconds", fields.fullInterval);
    if (fields.keepChains != null) {
      node.put("RetentionKeepChains", fields.keepChains);
    }
    putMillisecondsIfSet(node, "RetentionMinimumAgeMilliseconds", fields.keepMinimumAge);
    return node.toString();
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** The setup document keeps durations in milliseconds, as RavenDB's does. */
  private static void putMillisecondsIfSet(ObjectNode node, String field, Duration value) {
    if (value != null) {
      node.put(field, value.toMillis());
    }
  }
}
