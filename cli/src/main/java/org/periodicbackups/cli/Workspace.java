package org.periodicbackups.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupListener;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * What a command works with: the embedded store in {@code --data-dir} and the destination providers
 * found on the classpath and in the plugins folder. Opened per command, closed after.
 */
final class Workspace implements AutoCloseable {
  private final SqliteStore store;
  private DestinationRegistry registry;

  Workspace() throws IOException {
    this.store = new SqliteStore(GlobalOptions.dataDir);
  }

  SqliteStore store() {
    return store;
  }

  SqliteDatabase database(String name) throws IOException {
    return store.open(name);
  }

  DestinationRegistry registry() {
    if (registry == null) {
      registry = discoverDestinations();
    }
    return registry;
  }

  /** The providers on the classpath and in the plugins folder; opens no database. */
  static DestinationRegistry discoverDestinations() {
    return DestinationRegistry.discover(Main.class.getClassLoader(), GlobalOptions.plugins());
  }

  BackupEngine engine() {
    return engine(BackupListener.NONE);
  }

  BackupEngine engine(BackupListener listener) {
    return new BackupEngine(
        new DestinationResolver(registry()),
        Path.of(System.getProperty("java.io.tmpdir")),
        Clock.systemUTC(),
        listener);
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
