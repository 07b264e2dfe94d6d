package org.periodicbackups.core.guice;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import java.nio.file.Path;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.core.destination.DestinationRegistry;

/**
 * Contributes every destination provider that {@link java.util.ServiceLoader} finds, on a class
 * path and optionally in a plugins folder of jars, to {@link PeriodicBackupModule#destinations}.
 *
 * <p>For applications that want discovery (as the {@code pbk} command has) instead of listing
 * destination modules. Use one or the other for a given provider: installing this module and, say,
 * {@code FilesystemDestinationModule} binds {@code filesystem} twice, which fails the injector.
 * Constructing the module does nothing; discovery happens when the injector is created, and a
 * provider that cannot be loaded, or two sharing a name, fail it with a message naming them.
 */
public final class ServiceLoaderDestinationsModule extends AbstractModule {
  private final ClassLoader classLoader;
  private final Path pluginsFolder;

  private ServiceLoaderDestinationsModule(ClassLoader classLoader, Path pluginsFolder) {
    this.classLoader = requireNonNull(classLoader, "classLoader is null");
    this.pluginsFolder = pluginsFolder;
  }

  /** The providers visible to {@code classLoader}. */
  public static ServiceLoaderDestinationsModule onClassPath(ClassLoader classLoader) {
    return new ServiceLoaderDestinationsModule(classLoader, null);
  }

  /**
   * The providers visible to {@code parent} plus those in the {@code *.jar} files of {@code
   * pluginsFolder} (a missing folder means no plugins); see {@link
   * DestinationRegistry#discover(ClassLoader, Path)}.
   */
  public static ServiceLoaderDestinationsModule withPlugins(
      ClassLoader parent, Path pluginsFolder) {
    return new ServiceLoaderDestinationsModule(
        parent, requireNonNull(pluginsFolder, "pluginsFolder is null"));
  }

  @Override
  protected void configure() {
    DestinationRegistry found =
        pluginsFolder == null
            ? DestinationRegistry.discover(classLoader)
            : DestinationRegistry.discover(classLoader, pluginsFolder);
    MapBinder<String, DestinationProvider> destinations =
        PeriodicBackupModule.destinations(binder());
    for (DestinationProvider provider : found.providers()) {
      destinations.addBinding(provider.name()).toInstance(provider);
    }
  }

  @Override
  public String toString() {
    return "ServiceLoaderDestinationsModule["
        + (pluginsFolder == null ? "class path" : "class path and " + pluginsFolder)
        + "]";
  }
}
