package org.periodicbackups.destination.filesystem;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * Contributes the {@code filesystem} provider to the map of destination providers that {@code
 * PeriodicBackupModule} (in {@code pbk-core}) builds its registry from.
 *
 * <p>This module depends on {@code api} only, so it names the map directly; the key is the same as
 * {@code PeriodicBackupModule.destinations(binder)}. Guice is an optional dependency of this jar:
 * applications that install the module add {@code com.google.inject:guice} themselves. Installing
 * the module twice is harmless (Guice drops identical bindings).
 */
public final class FilesystemDestinationModule extends AbstractModule {

  /** Creates the module; it holds no state. */
  public FilesystemDestinationModule() {}

  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, DestinationProvider.class)
        .addBinding(BuiltInDestinations.FILESYSTEM)
        .to(FilesystemDestinationProvider.class)
        .in(Singleton.class);
  }
}
