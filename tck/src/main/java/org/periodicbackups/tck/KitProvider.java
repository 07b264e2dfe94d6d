package org.periodicbackups.tck;

import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * The provider under test as the engine sees it in the round-trip and fault rules: the same name,
 * configuration and precedence, destinations wrapped in a {@link FaultInjectingDestination}, and
 * settings read from the kit's {@link DestinationCompatibilityKit#contextFor} (credentials) instead
 * of the scratch source database's settings.
 */
final class KitProvider implements DestinationProvider {
  private final DestinationProvider delegate;
  private final DestinationCompatibilityKit kit;
  private final Faults faults;

  KitProvider(DestinationProvider delegate, DestinationCompatibilityKit kit, Faults faults) {
    this.delegate = delegate;
    this.kit = kit;
    this.faults = faults;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int precedence() {
    return delegate.precedence();
  }

  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return delegate.isConfiguredBy(setup);
  }

  @Override
  public FaultInjectingDestination create(DestinationContext context) throws java.io.IOException {
    DestinationContext kitContext = kit.contextFor(context.setup());
    BackupDestination destination =
        delegate.create(
            new DestinationContext(context.databaseName(), context.setup(), kitContext::setting));
    return new FaultInjectingDestination(destination, faults);
  }

  @Override
  public String toString() {
    return "KitProvider[" + delegate + "]";
  }
}
