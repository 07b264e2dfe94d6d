package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.core.destination.DestinationRegistry;

/** One test's destination, its isolated prefix, a local scratch folder and helpers. */
final class Fixture {
  static final UploadMetadata METADATA =
      new UploadMetadata("tck", BackupType.INCREMENTAL, 0, 1, "0".repeat(64));

  private static final Set<Class<?>> SEEDS_PRINTED = ConcurrentHashMap.newKeySet();

  final DestinationCompatibilityKit kit;
  final String prefix;
  final PeriodicBackupSetup setup;
  final DestinationRegistry registry;
  final DestinationProvider provider;
  final BackupDestination destination;
  final DestinationCapabilities capabilities;
  private final Path scratch;

  /** Names uploaded through the fixture: a cold destination may not list them yet at cleanup. */
  private final Set<String> uploaded = ConcurrentHashMap.newKeySet();

  /** Closed, newest first, before the cleanup: source stores and extra destinations. */
  private final List<AutoCloseable> closeAfterTest = new ArrayList<>();

  private Fixture(
      DestinationCompatibilityKit kit,
      String prefix,
      PeriodicBackupSetup setup,
      DestinationRegistry registry,
      BackupDestination destination,
      Path scratch) {
    this.kit = kit;
    this.prefix = prefix;
    this.setup = setup;
    this.registry = registry;
    this.provider = registry.require(kit.providerName());
    this.destination = destination;
    this.capabilities = destination.capabilities();
    this.scratch = scratch;
  }

  /** Finds the provider by name and creates a destination for {@code prefix}. */
  static Fixture open(DestinationCompatibilityKit kit, String prefix) throws Exception {
    String name = kit.providerName();
    DestinationRegistry registry = registry(kit);
    DestinationProvider provider = registry.require(name);
    PeriodicBackupSetup setup = kit.setupFor(prefix);
    BackupDestination destination;
    try {
      destination = provider.create(kit.contextFor(setup));
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          "R1.2 provider '"
              + name
              + "' cannot create a destination for"
              + " setupFor('"
              + prefix
              + "'): "
              + e,
          e);
    }
    assertThat(destination).as("R1.1 provider '%s' created no destination", name).isNotNull();
    Path scratch = Files.createTempDirectory("pbk-tck-sources-");
    if (SEEDS_PRINTED.add(kit.getClass())) {
      System.out.println(
          "pbk-tck: "
              + kit.getClass().getName()
              + " generates content with seed "
              + kit.seed()
              + "; replay with -Dpbk.tck.seed="
              + kit.seed());
    }
    return new Fixture(kit, prefix, setup, registry, destination, scratch);
  }

  /**
   * The providers found by {@link DestinationRegistry#discover(ClassLoader)} in the kit's class
   * loader, which must include one named {@code providerName()}: R1.1 fails with the registry's
   * message (duplicates naming both classes; "not found; known: …; add the … jar").
   */
  static DestinationRegistry registry(DestinationCompatibilityKit kit) {
    String name = kit.providerName();
    try {
      DestinationRegistry registry = DestinationRegistry.discover(kit.providerClassLoader());
      registry.require(name);
      return registry;
    } catch (ConfigurationException e) {
      throw new AssertionError(
          "R1.1 exactly one provider named '"
              + name
              + "' must be found by"
              + " ServiceLoader (list its class in META-INF/services/"
              + DestinationProvider.class.getName()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  Path scratch() {
    return scratch;
  }

  /** Seeded content for {@code label}: the same label and seed give the same bytes. */
  byte[] data(String label, long size) {
    return TestData.bytes(kit.seed(), label, Math.toIntExact(size));
  }

  /** A local file holding {@code bytes}. */
  Path source(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(scratch, "src-", ".bin"), bytes);
  }

  /** Deletes {@code name} at cleanup, whether or not it is listed then. */
  void track(String name) {
    uploaded.add(name);
  }

  /** Uploads {@code bytes}; an exception fails rule {@code rule}. */
  StoredFile upload(String rule, String name, byte[] bytes) throws IOException {
    return upload(rule, name, source(bytes), METADATA);
  }

  /** Uploads {@code file}; an exception fails rule {@code rule}. */
  StoredFile upload(String rule, String name, Path file, UploadMetadata metadata)
      throws IOException {
    uploaded.add(name);
    try {
      return destination.upload(name, file, metadata);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          rule + ": upload('" + name + "', " + Files.size(file) + " bytes) failed: " + e, e);
    }
  }

  /** Reads a whole stored file; an exception fails rule {@code rule}. */
  byte[] read(String rule, String name) {
    try (InputStream in = destination.open(name)) {
      return in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(rule + ": open('" + name + "') of a stored file failed: " + e, e);
    }
  }

  /** Deletes a stored file; an exception fails rule {@code rule}. */
  void delete(String rule, String name) {
    try {
      destination.delete(name);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(rule + ": delete('" + name + "') failed: " + e, e);
    }
  }

  /** Lists {@code prefix} once; an exception fails rule {@code rule}. */
  List<StoredFile> list(String rule, String prefix) {
    try {
      return destination.list(prefix);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(rule + ": list('" + prefix + "') failed: " + e, e);
    }
  }

  /**
   * Lists {@code prefix} until {@code done} holds; with immediate listing that is one listing,
   * otherwise one every poll interval until {@link DestinationCompatibilityKit#maxListingWait}.
   * Returns the last listing, on which the caller asserts; an exception fails {@code rule}.
   */
  List<StoredFile> awaitListing(String rule, String prefix, Predicate<List<StoredFile>> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + kit.maxListingWait().toNanos();
    while (true) {
      List<StoredFile> listed = list(rule, prefix);
      if (capabilities.immediateListing() || done.test(listed) || System.nanoTime() > deadline) {
        return listed;
      }
      Thread.sleep(kit.pollInterval().toMillis());
    }
  }

  /** Waits until {@code prefix} lists exactly {@code expected} (names and sizes). */
  List<StoredFile> awaitListed(String rule, String prefix, List<StoredFile> expected)
      throws InterruptedException {
    List<String> wanted = namesAndSizes(expected);
    return awaitListing(rule, prefix, listed -> namesAndSizes(listed).equals(wanted));
  }

  /** Fails with {@code message}, which starts with the rule id, unless "" lists nothing. */
  void assertEmpty(String message) throws InterruptedException {
    assertThat(awaitListing(message.substring(0, message.indexOf(' ')), "", List::isEmpty))
        .as(message)
        .isEmpty();
  }

  /** Closes {@code resource} after the test, before the cleanup; returns it. */
  synchronized <T extends AutoCloseable> T closeAfterTest(T resource) {
    closeAfterTest.add(0, resource);
    return resource;
  }

  /**
   * Deletes what is listed or was uploaded, checks I1.2, closes the destination and removes the
   * scratch folder.
   */
  void cleanAndClose() throws Exception {
    try {
      for (AutoCloseable resource : closeAfterTest) {
        resource.close();
      }
      Set<String> names = new TreeSet<>(uploaded);
      destination.list("").forEach(file -> names.add(file.name()));
      deleteAll(names);
      assertEmpty(
          "I1.2 the isolated prefix '"
              + prefix
              + "' must be empty after deleting every"
              + " listed file");
    } finally {
      try {
        destination.close();
      } finally {
        deleteRecursively(scratch);
      }
    }
  }

  /** Deletes {@code names}: one by one, or on {@code parallelUploads()} threads when many. */
  private void deleteAll(Set<String> names) throws Exception {
    if (names.size() < 50) {
      for (String name : names) {
        destination.delete(name);
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(kit.parallelUploads());
    try {
      List<Future<Void>> deletes = new ArrayList<>();
      for (String name : names) {
        deletes.add(
            pool.submit(
                () -> {
                  destination.delete(name);
                  return null;
                }));
      }
      for (Future<Void> delete : deletes) {
        try {
          delete.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** "name=size" lines, to compare listings without locators. */
  static List<String> namesAndSizes(List<StoredFile> files) {
    return files.stream().map(f -> f.name() + "=" + f.size()).toList();
  }

  static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
