package org.periodicbackups.tck.filesystem;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.tck.DestinationCompatibilityKit;

/** The compatibility kit against a local folder: each test gets its own sub-folder. */
class FilesystemDestinationCompatibilityTest extends DestinationCompatibilityKit {
  @TempDir static Path root;

  @Override
  protected String providerName() {
    return BuiltInDestinations.FILESYSTEM;
  }

  @Override
  protected PeriodicBackupSetup setupFor(String isolatedPrefix) {
    return PeriodicBackupSetup.localFolder(root.resolve(isolatedPrefix).toString(), null);
  }
}
