package org.periodicbackups.core.backup;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.periodicbackups.api.config.BackupCopy;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.core.dump.BackupFileName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The upload step of a backup run: one exported file to every resolved destination. */
final class Uploads {
  private static final Logger log = LoggerFactory.getLogger(Uploads.class);

  private Uploads() {}

  /** A check run after every upload succeeded, before the copies count. */
  @FunctionalInterface
  interface Confirmation {
    void confirm() throws IOException;
  }

  /**
   * Uploads to every destination in order (extending the Object Lock of the chain's files first
   * where the destination locks files, see {@link ChainLocks}), then runs {@code confirmation} (the
   * lease's renewal). If an upload or the confirmation fails, the copies already made are removed
   * (best effort) so that a destination never holds a file the status does not know of.
   */
  static List<BackupCopy> toAll(
      DestinationContext context,
      List<DestinationProvider> providers,
      BackupFileName name,
      ExportedFile exported,
      List<String> descriptions,
      Confirmation confirmation)
      throws IOException {
    UploadMetadata metadata =
        new UploadMetadata(
            context.databaseName(),
            name.type(),
            exported.header().fromEtag(),
            exported.header().toEtag(),
            exported.sha256());
    List<BackupDestination> opened = new ArrayList<>();
    List<BackupCopy> copies = new ArrayList<>();
    try {
      for (DestinationProvider provider : providers) {
        BackupDestination destination = provider.create(context);
        opened.add(destination);
        ChainLocks.beforeUpload(destination, name, Instant.now());
        StoredFile stored = destination.upload(name.path(), exported.path(), metadata);
        BackupEngine.abortIfInterrupted(
            context.databaseName(), "uploading to " + destination.description());
        if (stored.size() != exported.size()) {
          throw new DestinationException(
              destination.description()
                  + ": "
                  + name.path()
                  + " was stored with "
                  + stored.size()
                  + " bytes but "
                  + exported.size()
                  + " were sent");
        }
        copies.add(new BackupCopy(provider.name(), stored.locator()));
        descriptions.add(destination.description());
      }
      confirmation.confirm();
      return copies;
    } catch (IOException | RuntimeException e) {
      for (int i = 0; i < copies.size(); i++) {
        try {
          opened.get(i).delete(name.path());
        } catch (IOException | RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    } finally {
      closeAll(opened);
    }
  }

  /** Closes every destination of {@code opened}, logging a failure to close instead of throwing. */
  static void closeAll(List<BackupDestination> opened) {
    for (BackupDestination destination : opened) {
      try {
        destination.close();
      } catch (IOException e) {
        log.warn("closing destination {} failed: {}", destination.description(), e.toString());
      }
    }
  }
}
