package org.periodicbackups.examples.destination;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.tck.DestinationCompatibilityKit;

/** The whole compatibility kit against the example destination, one folder per test. */
class ExampleFolderDestinationCompatibilityTest extends DestinationCompatibilityKit {
  @TempDir static Path root;

  @Override
  protected String providerName() {
    return ExampleFolderDestinationProvider.NAME;
  }

  @Override
  protected PeriodicBackupSetup setupFor(String isolatedPrefix) {
    return ExampleFolderDestinationProvider.setupFor(root.resolve(isolatedPrefix));
  }
}
