package org.periodicbackups.examples.destination;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * The {@code example-folder} provider, configured in the setup document by
 * {@code "Destinations": {"example-folder": {"Folder": "/backups/flat"}}}. Stateless.
 */
public final class ExampleFolderDestinationProvider implements DestinationProvider {
  /** The provider's name, and its key in the setup's {@code Destinations}. */
  public static final String NAME = "example-folder";
  /** The one option: the folder that keeps the files. */
  public static final String FOLDER = "Folder";

  /** Creates the provider; {@link java.util.ServiceLoader} needs this constructor. */
  public ExampleFolderDestinationProvider() {}

  /** A setup sending backups to {@code folder} through this provider. */
  public static PeriodicBackupSetup setupFor(Path folder) {
    return new PeriodicBackupSetup(false, null, null, null, null, null, null, null,
        Map.of(NAME, Map.of(FOLDER, folder.toString())));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** True when {@code Destinations.example-folder.Folder} is set. */
  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    String folder = setup.destinationOptions(NAME).get(FOLDER);
    return folder != null && !folder.isBlank();
  }

  /** A destination on that folder; fails naming the option when it is missing or unknown. */
  @Override
  public BackupDestination create(DestinationContext context) {
    Map<String, String> options = context.setup().destinationOptions(NAME);
    for (String option : options.keySet()) {
      if (!option.equals(FOLDER)) {
        throw new ConfigurationException("Destinations." + NAME + "." + option
            + ": unknown option; the only option is '" + FOLDER + "'");
      }
    }
    String folder = options.get(FOLDER);
    if (folder == null || folder.isBlank()) {
      throw new ConfigurationException("Destinations." + NAME + "." + FOLDER
          + " is not set; it names the folder that keeps the backup files");
    }
    try {
      return new ExampleFolderDestination(Path.of(folder.strip()));
    } catch (InvalidPathException e) {
      throw new ConfigurationException("Destinations." + NAME + "." + FOLDER + ": '" + folder
          + "' is not a valid path: " + e.getReason());
    }
  }
}
