package org.periodicbackups.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.Json;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationReport;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pbk setup}: write the setup document {@code Raven/Backup/Periodic/Setup}, from flags or
 * from a JSON file. The document is validated and its destinations resolved before it is saved, so
 * a typo or a missing destination jar is reported instead of failing at the next backup.
 */
@Command(name = "setup", description = "Write the periodic backup setup document of a database.")
final class SetupCommand implements Callable<Integer> {
  @Mixin DatabaseOption database;

  @Spec CommandSpec spec;

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
    @Option(
        names = "--local-folder",
        paramLabel = "<folder>",
        description = "LocalFolderName: a folder that keeps a copy of every file.")
    String localFolder;

    @Option(
        names = "--s3-bucket",
        paramLabel = "<bucket>",
        description = "S3BucketName: an Amazon S3 (or S3-compatible) bucket.")
    String s3Bucket;

    @Option(
        names = "--s3-folder",
        paramLabel = "<prefix>",
        description = "S3RemoteFolderName: a key prefix in the bucket.")
    String s3Folder;

    @Option(
        names = "--s3-endpoint",
        paramLabel = "<url>",
        description =
            "Destinations.s3.Endpoint: an S3-compatible store instead of AWS (MinIO, Ceph, moto),"
                + " e.g. http://127.0.0.1:9000.")
    String s3Endpoint;

    @Option(
        names = "--storage-class",
        paramLabel = "<class>",
        description =
            "Destinations.s3.StorageClass: STANDARD, STANDARD_IA, GLACIER_IR, GLACIER,"
                + " DEEP_ARCHIVE, … (default: the bucket's).")
    String storageClass;

    @Option(
        names = "--glacier-vault",
        paramLabel = "<vault>",
        description = "GlacierVaultName: an Amazon Glacier vault; wins over --s3-bucket.")
    String glacierVault;

    @Option(
        names = "--glacier-endpoint",
        paramLabel = "<url>",
        description = "Destinations.glacier.Endpoint: another endpoint than AWS's (moto).")
    String glacierEndpoint;

    @Option(
        names = "--region",
        paramLabel = "<region>",
        description = "AwsRegionEndpoint: the bucket's or vault's region (default us-east-1).")
    String region;

    @Option(
        names = "--option",
        paramLabel = "<provider.Name=value>",
        description = ProviderOptions.DESCRIPTION)
    Map<String, String> options = new LinkedHashMap<>();

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

    @Option(
        names = "--backup-type",
        paramLabel = "<backup|snapshot>",
        description =
            "BackupType: backup (default: logical exports) or snapshot (each full backup is a"
                + " physical image of the database, restored at disk speed; the incrementals"
                + " after it stay logical).")
    String backupType;

    @Option(
        names = "--drill-interval",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        description =
            "DrillIntervalMilliseconds: how often pbk run and pbk server run a restore drill of"
                + " the database (see pbk drill), e.g. 1d.")
    Duration drillInterval;

    @Option(
        names = "--drill-cold-storage",
        description =
            "DrillColdStorage: drill on schedule even from a Glacier vault or an archive storage"
                + " class (each drill pays for retrievals and waits hours).")
    boolean drillColdStorage;

    @Option(names = "--disabled", description = "Disabled: do not back this database up.")
    boolean disabled;

    @Option(
        names = "--keep-chains",
        paramLabel = "<n>",
        description = "RetentionKeepChains: delete chains older than the newest <n>.")
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
      SqliteDatabase db = workspace.database(database.name);
      // Resolves and opens every destination: a typo in an option fails here, before saving.
      DestinationReport report = DestinationsCommand.report(workspace, db, setup);
      db.putSystemDocument(SystemDocuments.SETUP_KEY, SetupDocuments.toJson(setup));
      System.out.println("saved " + SystemDocuments.SETUP_KEY + " of '" + database.name + "'");
      DestinationsCommand.print(report);
      return 0;
    }
  }

  private String fromFlags(Fields fields) {
    ObjectNode node = Json.mapper().createObjectNode();
    if (fields.disabled) {
      node.put("Disabled", true);
    }
    putIfSet(node, "GlacierVaultName", fields.glacierVault);
    putIfSet(node, "S3BucketName", fields.s3Bucket);
    putIfSet(node, "AwsRegionEndpoint", fields.region);
    putIfSet(node, "S3RemoteFolderName", fields.s3Folder);
    putIfSet(node, "LocalFolderName", fields.localFolder);
    putIfSet(node, "BackupType", fields.backupType);
    putMillisecondsIfSet(node, "IntervalMilliseconds", fields.interval);
    putMillisecondsIfSet(node, "FullBackupIntervalMilliseconds", fields.fullInterval);
    putMillisecondsIfSet(node, "DrillIntervalMilliseconds", fields.drillInterval);
    if (fields.drillColdStorage) {
      node.put("DrillColdStorage", true);
    }
    if (fields.keepChains != null) {
      node.put("RetentionKeepChains", fields.keepChains);
    }
    putMillisecondsIfSet(node, "RetentionMinimumAgeMilliseconds", fields.keepMinimumAge);
    Map<String, Map<String, String>> destinations = providerOptions(fields);
    if (!destinations.isEmpty()) {
      ObjectNode entries = node.putObject("Destinations");
      destinations.forEach(
          (provider, options) -> options.forEach(entries.putObject(provider)::put));
    }
    return node.toString();
  }

  /** {@code --option provider.Name=value} and the named flags, by provider. */
  private Map<String, Map<String, String>> providerOptions(Fields fields) {
    Map<String, Map<String, String>> byProvider = ProviderOptions.byProvider(fields.options, spec);
    ProviderOptions.put(byProvider, BuiltInDestinations.S3, "Endpoint", fields.s3Endpoint);
    ProviderOptions.put(byProvider, BuiltInDestinations.S3, "StorageClass", fields.storageClass);
    ProviderOptions.put(
        byProvider, BuiltInDestinations.GLACIER, "Endpoint", fields.glacierEndpoint);
    return byProvider;
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
