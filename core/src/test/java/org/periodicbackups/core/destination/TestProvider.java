package org.periodicbackups.core.destination;

import java.util.function.Predicate;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * A provider for resolver and registry tests: a name, a precedence, a configured rule with the
 * field it reads, and whether it keeps a copy.
 */
class TestProvider implements DestinationProvider {
  private final String name;
  private final int precedence;
  private final Predicate<PeriodicBackupSetup> configured;
  private final String configuredBy;
  private final boolean keepsCopy;

  TestProvider(
      String name,
      int precedence,
      String configuredBy,
      Predicate<PeriodicBackupSetup> configured,
      boolean keepsCopy) {
    this.name = name;
    this.precedence = precedence;
    this.configured = configured;
    this.configuredBy = configuredBy;
    this.keepsCopy = keepsCopy;
  }

  /** Configured by {@code field}, as {@code configured} says. */
  TestProvider(
      String name, int precedence, String field, Predicate<PeriodicBackupSetup> configured) {
    this(name, precedence, field, configured, false);
  }

  /** Configured only through a {@code Destinations} entry of its name (the default rule). */
  TestProvider(String name, int precedence) {
    this(
        name,
        precedence,
        "Destinations." + name,
        setup -> setup.destinations().containsKey(name),
        false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int precedence() {
    return precedence;
  }

  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return configured.test(setup);
  }

  @Override
  public String configuredBy() {
    return configuredBy;
  }

  @Override
  public boolean keepsCopy() {
    return keepsCopy;
  }

  @Override
  public BackupDestination create(DestinationContext context) {
    throw new UnsupportedOperationException("a test provider creates nothing");
  }

  @Override
  public String toString() {
    return name;
  }

  /** A second class, to check that duplicate names name both classes. */
  static final class Other extends TestProvider {
    Other(String name) {
      super(name, 0);
    }
  }
}
