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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupListener;
import org.periodicbackups.core.backup.BackupMetrics;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.scheduler.BundleActivation;
import org.periodicbackups.core.scheduler.PeriodicBackupService;

/**
 * Binds the backup machinery of {@code core} for Guice applications: a {@link DestinationRegistry}
 * of the destination providers contributed by destination modules, the {@link DestinationResolver}
 * and the {@link BackupEngine}, all singletons.
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
 * <p>Which provider receives a database's files is not decided here but by the {@link
 * DestinationResolver}, from the setup document, at every run: the injector only says which
 * providers exist. The module is fast and has no side effects: it creates no thread, folder or
 * file, and reads no configuration. Everything it binds can also be built without Guice with the
 * plain constructors.
 *
 * <p>For periodic operation it also binds a {@link PeriodicBackupService} (singleton): add each
 * database to it with {@code service.add(database)}; it backs up the databases whose {@code
 * Raven/ActiveBundles} setting lists {@code PeriodicBackups} (or every database, when {@link
 * #activation} is bound to {@link BundleActivation#everywhere()}) on the {@link
 * BackupSchedulerPool} executor. Shut the service down, then that executor, when the application
 * stops. A {@link BackupListener} (for example {@link BackupMetrics}) can be bound with {@link
 * #listener}.
 */
public final class PeriodicBackupModule extends AbstractModule {

  /** Creates the module; it holds no state. */
  public PeriodicBackupModule() {}

  /**
   * The map of destination providers by name, to contribute to from a destination module: {@code
   * destinations(binder()).addBinding("my-destination").to(MyProvider.class)}. The key must equal
   * the provider's {@link DestinationProvider#name()}; a duplicate key fails the injector.
   *
   * <p>Destination modules that depend on {@code api} only (not on {@code core}) get the same map
   * with {@code MapBinder.newMapBinder(binder, String.class, DestinationProvider.class)}.
   */
  public static MapBinder<String, DestinationProvider> destinations(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, DestinationProvider.class);
  }

  /**
   * Overrides the engine's work folder (default: the system temporary folder): {@code
   * workFolder(binder).toInstance(path)}. The folder is created by the first backup, not by the
   * injector.
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

  /** Overrides which databases are backed up (default: those whose settings list the bundle). */
  public static LinkedBindingBuilder<BundleActivation> activation(Binder binder) {
    return OptionalBinder.newOptionalBinder(binder, BundleActivation.class).setBinding();
  }

  /** Overrides the engine's listener (default: none), e.g. {@code to(BackupMetrics.class)}. */
  public static LinkedBindingBuilder<BackupListener> listener(Binder binder) {
    return OptionalBinder.newOptionalBinder(binder, BackupListener.class).setBinding();
  }

  /** Overrides the executor the scheduler runs backups on (default: two daemon threads). */
  public static LinkedBindingBuilder<ScheduledExecutorService> schedulerPool(Binder binder) {
    return OptionalBinder.newOptionalBinder(
            binder, Key.get(ScheduledExecutorService.class, BackupSchedulerPool.class))
        .setBinding();
  }

  @Override
  protected void configure() {
    // Declared here so that an injector without any destination module still builds; the
    // resolver then reports the missing destination when a backup runs.
    destinations(binder());
    // The same defaults as BackupEngine(DestinationResolver).
    OptionalBinder.newOptionalBinder(binder(), Key.get(Path.class, BackupWorkFolder.class))
        .setDefault()
        .toInstance(Path.of(System.getProperty("java.io.tmpdir")));
    OptionalBinder.newOptionalBinder(binder(), Key.get(Clock.class, BackupClock.class))
        .setDefault()
        .toInstance(Clock.systemUTC());
    OptionalBinder.newOptionalBinder(binder(), BundleActivation.class)
        .setDefault()
        .toInstance(BundleActivation.perDatabase());
    OptionalBinder.newOptionalBinder(binder(), BackupListener.class)
        .setDefault()
        .toInstance(BackupListener.NONE);
    OptionalBinder.newOptionalBinder(
            binder(), Key.get(ScheduledExecutorService.class, BackupSchedulerPool.class))
        .setDefault()
        .toProvider(PeriodicBackupModule::defaultPool)
        .in(Singleton.class);
  }

  /** Two daemon threads: backups never keep a stopping application alive on their own. */
  private static ScheduledExecutorService defaultPool() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newScheduledThreadPool(
        2,
        task -> {
          Thread thread = new Thread(task, "pbk-scheduler-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  @Provides
  @Singleton
  PeriodicBackupService service(
      BackupEngine engine,
      BundleActivation activation,
      @BackupSchedulerPool ScheduledExecutorService pool,
      @BackupClock Clock clock) {
    return new PeriodicBackupService(engine, activation, pool, clock);
  }

  /**
   * The registry of every contributed provider.
   *
   * @throws ConfigurationException if a map key differs from its provider's name, or two providers
   *     share a name (all problems at once)
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
  BackupEngine engine(
      DestinationResolver resolver,
      @BackupWorkFolder Path workFolder,
      @BackupClock Clock clock,
      BackupListener listener) {
    return new BackupEngine(resolver, workFolder, clock, listener);
  }

  /** {@link DestinationRegistry#of} after checking that each key is its provider's name. */
  static DestinationRegistry registryOf(Map<String, DestinationProvider> providers) {
    requireNonNull(providers, "providers is null");
    List<String> problems = new ArrayList<>();
    providers.forEach(
        (key, provider) -> {
          // The resolver and the status history know a provider by name(), never by its key, so a
          // mismatch would make the binding unreachable under the name the module promised.
          if (!key.equals(provider.name())) {
            problems.add(
                "destination provider "
                    + provider.getClass().getName()
                    + " is bound under the key '"
                    + key
                    + "' but its name() is '"
                    + provider.name()
                    + "'; bind it with destinations(binder).addBinding(\""
                    + provider.name()
                    + "\")");
          }
        });
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return DestinationRegistry.of(providers.values());
  }
}
