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
  private final WaitListener waits;

  /** A context for {@code databaseName} with {@code setup} and {@code settings}. */
  public DestinationContext(
      String databaseName, PeriodicBackupSetup setup, SettingsReader settings) {
    this(databaseName, setup, settings, WaitListener.NONE);
  }

  private DestinationContext(
      String databaseName, PeriodicBackupSetup setup, SettingsReader settings, WaitListener waits) {
    this.databaseName = requireNonNull(databaseName, "databaseName is null");
    this.setup = requireNonNull(setup, "setup is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.waits = requireNonNull(waits, "waits is null");
  }

  /** This context, with {@code waits} told of the destination's long waits. */
  public DestinationContext withWaitListener(WaitListener waits) {
    return new DestinationContext(databaseName, setup, settings, waits);
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

  /** Who hears of long waits; {@link WaitListener#NONE} unless given. */
  public WaitListener waitListener() {
    return waits;
  }

  @Override
  public String toString() {
    return "DestinationContext[database=" + databaseName + "]";
  }
}
