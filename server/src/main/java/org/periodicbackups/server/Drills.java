package org.periodicbackups.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.DrillRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationReport;
import org.periodicbackups.core.destination.ResolvedDestinations;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.RestoreDrill;
import org.periodicbackups.core.restore.RestoreListener;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * Restore drills of one database, for {@code pbk drill}, the daemon's schedule and the server's
 * {@code POST /databases/{db}/drill}: the destination its setup resolves to (the remote one when
 * there is one, else the local copy), a scratch store in a new temporary folder removed afterwards,
 * and {@link RestoreDrill}.
 */
public final class Drills {
  private Drills() {}

  /** The outcome of a drill and where it read from. */
  /**
   * @param record what the drill found, as recorded in the status document
   * @param from where it read: the remote destination or the local copy, and its provider
   */
  public record Outcome(DrillRecord record, String from) {}

  /**
   * Drills {@code db}; with {@code skipCold}, returns empty instead when the destination's reads
   * need retrievals (Glacier vaults, archive storage classes).
   */
  public static Optional<Outcome> run(
      DestinationRegistry registry,
      SqliteDatabase db,
      PeriodicBackupSetup setup,
      EncryptionKeys keys,
      Path scratchParent,
      RestoreListener listener,
      WaitListener waits,
      boolean skipCold)
      throws IOException {
    DestinationContext context = new DestinationContext(db.databaseName(), setup, db::setting);
    ResolvedDestinations resolved = DestinationReport.of(registry, context).resolved();
    Optional<DestinationProvider> remote = resolved.remote();
    DestinationProvider provider =
        remote
            .or(resolved::localCopy)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "the setup of database '" + db.databaseName() + "' has no destination"));
    String from = (remote.isPresent() ? "remote destination " : "local copy ") + provider.name();
    Path scratch =
        scratchParent == null
            ? Files.createTempDirectory("pbk-drill-")
            : Files.createTempDirectory(Files.createDirectories(scratchParent), "pbk-drill-");
    try (BackupDestination destination = provider.create(context.withWaitListener(waits));
        SqliteStore scratchStore = new SqliteStore(scratch)) {
      if (skipCold && !destination.capabilities().immediateReads()) {
        return Optional.empty();
      }
      DrillRecord drill =
          new RestoreDrill(Clock.systemUTC(), listener, keys)
              .run(db, destination, scratchStore::newDatabaseTarget);
      return Optional.of(new Outcome(drill, from));
    } finally {
      Folders.deleteTree(scratch);
    }
  }
}
