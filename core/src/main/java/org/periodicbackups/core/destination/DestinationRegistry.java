package org.periodicbackups.core.destination;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * The destination providers available to this process, by unique name.
 *
 * <p>Built from a collection (Guice, tests) or discovered with {@link ServiceLoader}, on the class
 * path and optionally in the jars of a plugins folder. Two providers with the same name are an
 * error naming both classes: the registry never picks one silently. Immutable and thread-safe.
 */
public final class DestinationRegistry {
  /** Bounds the loop over a broken {@link ServiceLoader}, which may keep failing. */
  private static final int MAX_LOAD_ERRORS = 100;

  private final Map<String, DestinationProvider> byName;

  private DestinationRegistry(Map<String, DestinationProvider> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /**
   * A registry of exactly {@code providers}.
   *
   * @throws ConfigurationException if a name is blank or used by two providers (naming both)
   */
  public static DestinationRegistry of(Collection<? extends DestinationProvider> providers) {
    requireNonNull(providers, "providers is null");
    Map<String, DestinationProvider> byName = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (DestinationProvider provider : providers) {
      requireNonNull(provider, "a provider is null");
      String name = provider.name();
      if (name == null || name.isBlank()) {
        problems.add("destination provider " + describe(provider.getClass()) + " has no name");
        continue;
      }
      DestinationProvider first = byName.putIfAbsent(name, provider);
      if (first != null) {
        problems.add(
            "destination '"
                + name
                + "' is provided twice, by "
                + describe(first.getClass())
                + " and by "
                + describe(provider.getClass())
                + "; remove one of them from the class path or the plugins folder");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return new DestinationRegistry(byName);
  }

  /**
   * The providers listed in {@code META-INF/services/org.periodicbackups.api.destination.
   * DestinationProvider} files visible to {@code classLoader}.
   *
   * @throws ConfigurationException if a provider cannot be loaded (naming its class) or two share a
   *     name
   */
  public static DestinationRegistry discover(ClassLoader classLoader) {
    requireNonNull(classLoader, "classLoader is null");
    List<DestinationProvider> providers = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Iterator<DestinationProvider> it =
        ServiceLoader.load(DestinationProvider.class, classLoader).iterator();
    while (problems.size() < MAX_LOAD_ERRORS) {
      try {
        if (!it.hasNext()) {
          break;
        }
        providers.add(it.next());
      } catch (ServiceConfigurationError e) {
        // The iterator goes on with the next provider after an error, so all are reported.
        problems.add(
            "a destination provider cannot be loaded: "
                + e.getMessage()
                + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return of(providers);
  }

  /**
   * The providers on {@code parent}'s class path plus those in every {@code *.jar} file of {@code
   * pluginsFolder}, loaded through one class loader whose parent is {@code parent}. A missing
   * plugins folder means no plugins. The class loader stays open as long as the providers are used.
   *
   * @throws ConfigurationException if the plugins path is a file, a jar cannot be read (naming it),
   *     a provider cannot be loaded, or two providers share a name
   */
  public static DestinationRegistry discover(ClassLoader parent, Path pluginsFolder) {
    requireNonNull(parent, "parent is null");
    requireNonNull(pluginsFolder, "pluginsFolder is null");
    if (!Files.exists(pluginsFolder)) {
      return discover(parent);
    }
    if (!Files.isDirectory(pluginsFolder)) {
      throw new ConfigurationException(
          "plugins folder "
              + pluginsFolder.toAbsolutePath()
              + " is a file; it must be a folder of destination jars");
    }
    List<URL> jars = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path jar : jarsIn(pluginsFolder)) {
      try (JarFile opened = new JarFile(jar.toFile())) {
        opened.getManifest(); // reads the zip directory: a corrupt jar fails here, by name
        jars.add(jar.toUri().toURL());
      } catch (IOException | SecurityException e) {
        problems.add("plugin jar " + jar.toAbsolutePath() + " cannot be read: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    if (jars.isEmpty()) {
      return discover(parent);
    }
    // Not closed: the providers' classes are loaded lazily through it for as long as they live.
    URLClassLoader plugins = new URLClassLoader("pbk-plugins", jars.toArray(URL[]::new), parent);
    return discover(plugins);
  }

  /** The provider named {@code name}, if registered. */
  public Optional<DestinationProvider> find(String name) {
    return Optional.ofNullable(byName.get(requireNonNull(name, "name is null")));
  }

  /**
   * The provider named {@code name}.
   *
   * @throws ConfigurationException naming the known providers and the jar to add
   */
  public DestinationProvider require(String name) {
    return find(name).orElseThrow(() -> new ConfigurationException(notFound(name)));
  }

  /** The registered names, sorted. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(byName.keySet()));
  }

  /** The registered providers, sorted by name. */
  public Collection<DestinationProvider> providers() {
    return byName.values();
  }

  @Override
  public String toString() {
    return "DestinationRegistry" + byName.keySet();
  }

  /** "destination 'x' not found; known: […]; add the jar that provides it …". */
  String notFound(String name) {
    return notFound(
        name,
        "add the jar that provides it to the plugins folder (this project's own"
            + " destinations are the "
            + BuiltInDestinations.artifactOf("<name>")
            + " jars)");
  }

  /** "destination 'x' not found; known: […]; {@code hint}". */
  String notFound(String name, String hint) {
    return "destination '" + name + "' not found; known: " + byName.keySet() + "; " + hint;
  }

  private static List<Path> jarsIn(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new ConfigurationException(
          "plugins folder " + folder.toAbsolutePath() + " cannot be listed: " + e);
    }
  }

  /** A class name and, when known, the jar or folder it came from. */
  private static String describe(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null || source.getLocation() == null
        ? type.getName()
        : type.getName() + " (from " + source.getLocation() + ")";
  }
}
