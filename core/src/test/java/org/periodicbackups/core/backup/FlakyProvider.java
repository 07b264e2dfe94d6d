package org.periodicbackups.core.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.destination.filesystem.FilesystemDestination;

/**
 * A third-party remote destination ({@code Destinations: {"flaky": {}}}) that stores files in a
 * real folder, and fails uploads while {@link #failing} is set, as an unreachable store would.
 */
final class FlakyProvider implements DestinationProvider {
  final AtomicBoolean failing = new AtomicBoolean();
  private final Path folder;

  FlakyProvider(Path folder) {
    this.folder = folder;
  }

  @Override
  public String name() {
    return "flaky";
  }

  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return setup.destinations().containsKey(name());
  }

  @Override
  public BackupDestination create(DestinationContext context) {
    FilesystemDestination files = new FilesystemDestination(folder);
    return new BackupDestination() {
      @Override
      public String providerName() {
        return name();
      }

      @Override
      public String description() {
        return "flaky:" + folder;
      }

      @Override
      public StoredFile upload(String name, Path file, UploadMetadata metadata)
          throws IOException {
        if (failing.get()) {
          throw new DestinationException(description() + ": connection refused (test)");
        }
        return files.upload(name, file, metadata);
      }

      @Override
      public List<StoredFile> list(String prefix) throws IOException {
        return files.list(prefix);
      }

      @Override
      public InputStream open(String name) throws IOException {
        return files.open(name);
      }

      @Override
      public void delete(String name) throws IOException {
        files.delete(name);
      }
    };
  }
}
