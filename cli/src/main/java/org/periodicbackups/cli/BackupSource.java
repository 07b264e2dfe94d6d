package org.periodicbackups.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.core.config.Json;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.destination.filesystem.FilesystemDestination;

/**
 * Where backups are read from, as a user names it: a local folder ({@code LocalFolderName}, or one
 * database's folder in it), {@code s3://bucket/prefix} or {@code glacier://vault}, opened as a
 * destination.
 *
 * @param destination the opened destination
 * @param prefix the names to consider in it
 * @param database the source database, when known
 */
record BackupSource(BackupDestination destination, String prefix, String database)
    implements AutoCloseable {

  /**
   * Opens {@code location}; a remote destination tells {@code waits} of its long waits (retrieval
   * jobs, archive restores).
   */
  static BackupSource open(
      String location,
      String sourceDatabase,
      RemoteOptions remote,
      DestinationRegistry registry,
      WaitListener waits)
      throws IOException {
    if (location.startsWith("s3://")) {
      return openRemote(BuiltInDestinations.S3, location, sourceDatabase, remote, registry, waits);
    }
    if (location.startsWith("glacier://")) {
      return openRemote(
          BuiltInDestinations.GLACIER, location, sourceDatabase, remote, registry, waits);
    }
    if (location.matches("[a-z][a-z0-9+.-]*://.*")) {
      throw new ConfigurationException(
          "cannot read backups from '"
              + location
              + "': give a folder, s3://bucket/prefix or glacier://vault");
    }
    Path folder = Path.of(location);
    if (!Files.isDirectory(folder)) {
      throw new ConfigurationException(
          "backup folder " + folder + " does not exist or is not a folder");
    }
    BackupFolder local = BackupFolder.of(folder, sourceDatabase);
    return new BackupSource(
        new FilesystemDestination(local.root()), local.prefix(), local.database());
  }

  /** A bucket ({@code s3://bucket/prefix}) or a vault ({@code glacier://vault}). */
  private static BackupSource openRemote(
      String provider,
      String location,
      String sourceDatabase,
      RemoteOptions remote,
      DestinationRegistry registry,
      WaitListener waits)
      throws IOException {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(
          "'" + location + "' is not a " + provider + ":// URL: " + e.getReason());
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
    if (uri.getHost() == null
        || (provider.equals(BuiltInDestinations.GLACIER) && !path.isEmpty())) {
      throw new ConfigurationException(
          "'"
              + location
              + "' is not of the form "
              + (provider.equals(BuiltInDestinations.S3)
                  ? "s3://bucket/prefix"
                  : "glacier://vault"));
    }
    ObjectNode setup = Json.mapper().createObjectNode();
    if (provider.equals(BuiltInDestinations.S3)) {
      setup.put("S3BucketName", uri.getHost());
      if (!path.isEmpty()) {
        setup.put("S3RemoteFolderName", path);
      }
    } else {
      setup.put("GlacierVaultName", uri.getHost());
    }
    if (remote.region != null) {
      setup.put("AwsRegionEndpoint", remote.region);
    }
    ObjectNode options = setup.putObject("Destinations").putObject(provider);
    if (remote.endpoint != null) {
      options.put("Endpoint", remote.endpoint);
    }
    remote.providerOptions(provider).forEach(options::put);
    BackupDestination destination =
        registry
            .require(provider)
            .create(
                new DestinationContext(
                        "restore", SetupDocuments.parse(setup.toString()), remote.settings())
                    .withWaitListener(waits));
    return new BackupSource(
        destination, sourceDatabase != null ? sourceDatabase + "/" : "", sourceDatabase);
  }

  @Override
  public void close() throws IOException {
    destination.close();
  }
}
