package org.periodicbackups.destination.s3;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * Contributes the {@code s3} provider to the map of destination providers that {@code
 * PeriodicBackupModule} (in {@code pbk-core}) builds its registry from.
 *
 * <p>This module depends on {@code api} only, so it names the map directly; the key is the same as
 * {@code PeriodicBackupModule.destinations(binder)}. Guice is an optional dependency of this jar:
 * applications that install the module add {@code com.google.inject:guice} themselves. The module
 * opens no S3 client and reads no configuration: the provider creates a client per destination,
 * from the setup document, when a backup runs. Installing the module twice is harmless (Guice drops
 * identical bindings).
 */
public final class S3DestinationModule extends AbstractModule {

  /** Creates the module; it holds no state. */
  public S3DestinationModule() {}

  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, DestinationProvider.class)
        .addBinding(BuiltInDestinations.S3)
        .to(S3DestinationProvider.class)
        .in(Singleton.class);
  }
}
