package org.periodicbackups.core.destination;

import java.util.function.Predicate;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/** A provider for resolver and registry tests: a name, a precedence and a configured rule. */
class TestProvider implements DestinationProvider {
  private final String name;
  private final int precedence;
  private final Predicate<PeriodicBackupSetup> configured;

  TestProvider(String name, int precedence, Predicate<PeriodicBackupSetup> configured) {
    this.name = name;
    this.precedence = precedence;
    this.configured = configured;
  }

  /** Configured only through a {@code Destinations} entry of its name. */
  TestProvider(String name, int precedence) {
    this(name, precedence, setup -> setup.destinations().containsKey(name));
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
