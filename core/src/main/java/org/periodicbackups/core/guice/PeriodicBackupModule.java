package org.periodicbackups.core.guice;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.binder.LinkedBindingBuilder;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.OptionalBinder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;

/**
 * Binds the backup machinery of {@code core} for Guice applications: a {@link DestinationRegistry}
 * of the destination providers contributed by destination modules, the
 * {@link DestinationResolver} and the {@link BackupEngine}, all singletons.
 *
 * <p>Destination modules contribute providers to the map returned by {@link #destinations}, keyed
 * by the provider's {@link DestinationProvider#name()}:
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new PeriodicBackupModule(),
 *     new FilesystemDestinationModule(),
 *     binder -> PeriodicBackupModule.workFolder(binder).toInstance(Path.of("/var/tmp/pbk")));
 * BackupEngine engine = injector.getInstance(BackupEngine.class);
 * }</pre>
 *
 * <p>Which provider receives a database's files is not decided here but by the
 * {@link DestinationResolver}, from the setup document, at every run: the injector only says
 * which providers exist. The module is fast and has no side effects: it creates no thread, folder
 * or file, and reads no configuration. Everything it binds can also be built without Guice with
 * the plain constructors.
 *
 * <p>The scheduler ({@code org.periodicbackups.core.scheduler}) is not bound yet; its binding
 * will be added here when it lands. Until then, applications call {@link BackupEngine#run}
 * themselves (see the {@code examples} folder).
 */
public final class PeriodicBackupModule extends AbstractModule {

  /** Creates the module; it holds no state. */
  public PeriodicBackupModule() {}

  /**
   * The map of destination providers by name, to contribute to from a destination module:
   * {@code destinations(binder()).addBinding("my-destination").to(MyProvider.class)}. The key must
   * equal the provider's {@link DestinationProvider#name()}; a duplicate key fails the injector.
   *
   * <p>Destination modules that depend on {@code api} only (not on {@code core}) get the same map
   * with {@code MapBinder.newMapBinder(binder, String.class, DestinationProvider.class)}.
   */
  public static MapBinder<String, DestinationProvider> destinations(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, DestinationProvider.class);
  }

  /**
   * Overrides the engine's work folder (default: the system temporary folder):
   * {@code workFolder(binder).toInstance(path)}. The folder is created by the first backup, not
   * by the injector.
   */
  public static LinkedBindingBuilder<Path> workFolder(Binder binder) {
    return OptionalBinder.newOptionalBinder(binder, Key.get(Path.class, BackupWorkFolder.class))
        .setBinding();
  }

  /** Overrides the engine's clock (default: the UTC system clock). */
  public static LinkedBindingBuilder<Clock> clock(Binder binder) {
    return OptionalBinder.newOptionalBinder(binder, Key.get(Clock.class, BackupClock.class))
        .setBinding();
  }

  @Override
  protected void configure() {
    // Declared here so that an injector without any destination module still builds; the
    // resolver then reports the missing destination when a backup runs.
    destinations(binder());
    // The same defaults as BackupEngine(DestinationResolver).
    OptionalBinder.newOptionalBinder(binder(), Key.get(Path.class, BackupWorkFolder.class))
        .setDefault().toInstance(Path.of(System.getProperty("java.io.tmpdir")));
    OptionalBinder.newOptionalBinder(binder(), Key.get(Clock.class, BackupClock.class))
        .setDefault().toInstance(Clock.systemUTC());
    // TODO(scheduler): bind PeriodicBackupScheduler here once core.scheduler lands.
  }

  /**
   * The registry of every contributed provider.
   *
   * @throws ConfigurationException if a map key differs from its provider's name, or two
   *     providers share a name (all problems at once)
   */
  @Provides
  @Singleton
  DestinationRegistry registry(Map<String, DestinationProvider> providers) {
    return registryOf(providers);
  }

  @Provides
  @Singleton
  DestinationResolver resolver(DestinationRegistry registry) {
    return new DestinationResolver(registry);
  }

  @Provides
  @Singleton
  BackupEngine engine(DestinationResolver resolver,
      @BackupWorkFolder Path workFolder, @BackupClock Clock clock) {
    return new BackupEngine(resolver, workFolder, clock);
  }

  /** {@link DestinationRegistry#of} after checking that each key is its provider's name. */
  static DestinationRegistry registryOf(Map<String, DestinationProvider> providers) {
    requireNonNull(providers, "providers is null");
    List<String> problems = new ArrayList<>();
    providers.forEach((key, provider) -> {
      // The resolver and the status history know a provider by name(), never by its key, so a
      // mismatch would make the binding unreachable under the name the module promised.
      if (!key.equals(provider.name())) {
        problems.add("destination provider " + provider.getClass().getName()
            + " is bound under the key '" + key + "' but its name() is '" + provider.name()
            + "'; bind it with destinations(binder).addBinding(\"" + provider.name() + "\")");
      }
    });
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return DestinationRegistry.of(providers.values());
  }
}
