package org.periodicbackups.destination.filesystem;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * The {@code filesystem} provider: configured by {@code LocalFolderName}, creates a {@link
 * FilesystemDestination} on that folder. Stateless and thread-safe.
 */
public final class FilesystemDestinationProvider implements DestinationProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} needs this constructor. */
  public FilesystemDestinationProvider() {}

  /** {@value BuiltInDestinations#FILESYSTEM}. */
  @Override
  public String name() {
    return BuiltInDestinations.FILESYSTEM;
  }

  /** True when {@code LocalFolderName} is set. */
  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return setup.localFolderName() != null;
  }

  @Override
  public String configuredBy() {
    return "LocalFolderName";
  }

  /** The local folder keeps a copy of every file in addition to the remote destination. */
  @Override
  public boolean keepsCopy() {
    return true;
  }

  /** A destination on the folder {@code LocalFolderName}; creates nothing on disk yet. */
  @Override
  public BackupDestination create(DestinationContext context) {
    String folder = context.setup().localFolderName();
    if (folder == null) {
      throw new ConfigurationException(
          "LocalFolderName is not set; the filesystem destination needs a folder");
    }
    try {
      return new FilesystemDestination(Path.of(folder));
    } catch (InvalidPathException e) {
      throw new ConfigurationException(
          "LocalFolderName: '" + folder + "' is not a valid path: " + e.getReason());
    }
  }
}
