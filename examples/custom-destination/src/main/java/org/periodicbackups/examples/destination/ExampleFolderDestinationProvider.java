package org.periodicbackups.examples.destination;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationOptions;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * The {@code example-folder} provider, configured in the setup document by {@code "Destinations":
 * {"example-folder": {"Folder": "/backups/flat"}}}. Stateless; only reads its options and calls the
 * destination's constructor.
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
    return PeriodicBackupSetup.forProvider(NAME, Map.of(FOLDER, folder.toString()));
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A destination on that folder; fails naming the option when it is missing or unknown. The
   * provider is configured by its {@code Destinations} entry (the default of {@link
   * DestinationProvider#isConfiguredBy}), so an entry without a folder gets this error rather than
   * being passed over.
   */
  @Override
  public BackupDestination create(DestinationContext context) {
    DestinationOptions options = DestinationOptions.of(context.setup(), NAME, List.of(FOLDER));
    String folder = options.required(FOLDER, "names the folder that keeps the backup files");
    options.check();
    try {
      return new ExampleFolderDestination(Path.of(folder));
    } catch (InvalidPathException e) {
      throw new ConfigurationException(
          options.path(FOLDER) + ": '" + folder + "' is not a valid path: " + e.getReason());
    }
  }
}
