package org.periodicbackups.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.ConditionalWrites;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.UploadMetadata;

/**
 * A correct destination held in memory: atomic uploads, exact bytes, listings sorted by name,
 * idempotent deletes. Tests can reach its files directly, count its opens, declare it cold, and
 * make a file change after its first read. Thread-safe.
 */
public class MemoryDestination implements BackupDestination {
  private final String description;
  private final Map<String, byte[]> files;
  private final AtomicInteger opens = new AtomicInteger();
  private volatile DestinationCapabilities capabilities = DestinationCapabilities.STANDARD;
  private volatile String swapName;
  private volatile byte[] swapBytes;
  private final AtomicInteger swapNameOpens = new AtomicInteger();

  /** An empty destination described as {@code memory:test}. */
  public MemoryDestination() {
    this("memory:test");
  }

  /** An empty destination with this description. */
  public MemoryDestination(String description) {
    this(description, new ConcurrentSkipListMap<>());
  }

  /**
   * A destination over {@code files}, a sorted thread-safe map that other instances may share: a
   * destination created again for the same place sees what was stored there.
   */
  public MemoryDestination(String description, ConcurrentSkipListMap<String, byte[]> files) {
    this.description = description;
    this.files = files;
  }

  /** The stored files by name, live: tests may read, replace and remove them. */
  public Map<String, byte[]> files() {
    return files;
  }

  /** How many times {@link #open} returned a file. */
  public int opens() {
    return opens.get();
  }

  /** Counts opens from zero again. */
  public void resetOpens() {
    opens.set(0);
  }

  /** Declares what {@link #capabilities()} says, for example a cold destination. */
  public void capabilities(DestinationCapabilities capabilities) {
    this.capabilities = capabilities;
  }

  /** The second and later opens of {@code name} return {@code bytes} instead. */
  public void changeAfterFirstRead(String name, byte[] bytes) {
    swapName = name;
    swapBytes = bytes.clone();
  }

  /** Stores {@code bytes} under {@code name}, replacing a file of that name. */
  public StoredFile put(String name, byte[] bytes) {
    files.put(StoredNames.requireSafe(name), bytes.clone());
    return new StoredFile(name, bytes.length, description + "/" + name);
  }

  @Override
  public String providerName() {
    return "memory";
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public DestinationCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    StoredNames.requireSafe(name);
    return put(name, Files.readAllBytes(file)); // read whole before storing: atomic
  }

  @Override
  public List<StoredFile> list(String prefix) {
    List<StoredFile> listed = new ArrayList<>();
    files.forEach(
        (name, bytes) -> {
          if (name.startsWith(prefix)) {
            listed.add(new StoredFile(name, bytes.length, description + "/" + name));
          }
        });
    return listed;
  }

  @Override
  public InputStream open(String name) throws IOException {
    byte[] bytes = files.get(name);
    if (bytes == null) {
      throw new BackupFileNotFoundException(description, name);
    }
    opens.incrementAndGet();
    if (name.equals(swapName) && swapNameOpens.incrementAndGet() > 1) {
      return new ByteArrayInputStream(swapBytes);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public void delete(String name) {
    files.remove(name);
  }

  /** Conditional writes made atomic by a lock on the shared map of files. */
  @Override
  public Optional<ConditionalWrites> conditionalWrites() {
    return Optional.of(
        new ConditionalWrites() {
          @Override
          public Optional<Version> read(String name) {
            byte[] bytes = files.get(StoredNames.requireSafe(name));
            return Optional.ofNullable(bytes)
                .map(b -> new Version(b, ConditionalWrites.contentTag(b)));
          }

          @Override
          public Optional<Version> createIfAbsent(String name, byte[] content) {
            ConditionalWrites.requireSmall(name, content);
            synchronized (files) {
              if (files.containsKey(StoredNames.requireSafe(name))) {
                return Optional.empty();
              }
              put(name, content);
            }
            return Optional.of(new Version(content, ConditionalWrites.contentTag(content)));
          }

          @Override
          public Optional<Version> replaceIfUnchanged(
              String name, String expectedTag, byte[] content) {
            ConditionalWrites.requireSmall(name, content);
            synchronized (files) {
              byte[] current = files.get(StoredNames.requireSafe(name));
              if (current == null || !ConditionalWrites.contentTag(current).equals(expectedTag)) {
                return Optional.empty();
              }
              put(name, content);
            }
            return Optional.of(new Version(content, ConditionalWrites.contentTag(content)));
          }
        });
  }

  @Override
  public String toString() {
    return "MemoryDestination[" + description + ", " + files.size() + " files]";
  }
}
