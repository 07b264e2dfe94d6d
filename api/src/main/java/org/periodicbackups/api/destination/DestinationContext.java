package org.periodicbackups.api.destination;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Optional;
import org.periodicbackups.api.config.PeriodicBackupSetup;

/**
 * What a provider gets to create a destination: the database's name, its setup document and a way
 * to read its settings (credentials such as {@code Raven/AWSAccessKey}).
 *
 * <p>{@link #toString()} shows no setting values.
 */
public final class DestinationContext {

  /** Reads one database setting. */
  @FunctionalInterface
  public interface SettingsReader {
    /** The value of setting {@code name}, if set. */
    Optional<String> get(String name) throws IOException;
  }

  private final String databaseName;
  private final PeriodicBackupSetup setup;
  private final SettingsReader settings;

  /** A context for {@code databaseName} with {@code setup} and {@code settings}. */
  public DestinationContext(
      String databaseName, PeriodicBackupSetup setup, SettingsReader settings) {
    this.databaseName = requireNonNull(databaseName, "databaseName is null");
    this.setup = requireNonNull(setup, "setup is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  /** A context without settings, for tests and tools. */
  public static DestinationContext of(String databaseName, PeriodicBackupSetup setup) {
    return new DestinationContext(databaseName, setup, name -> Optional.empty());
  }

  /** The database being backed up or restored. */
  public String databaseName() {
    return databaseName;
  }

  /** Its setup document. */
  public PeriodicBackupSetup setup() {
    return setup;
  }

  /** One of its settings, if set. */
  public Optional<String> setting(String name) throws IOException {
    return settings.get(name);
  }

  @Override
  public String toString() {
    return "DestinationContext[database=" + databaseName + "]";
  }
}
