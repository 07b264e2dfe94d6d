package org.periodicbackups.core.restore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.UploadMetadata;

/** A destination held in memory, for tests; counts opens so tests can see rereads. */
final class MemoryDestination implements BackupDestination {
  final Map<String, byte[]> files = new TreeMap<>();
  final AtomicInteger opens = new AtomicInteger();
  /** When set, the second and later opens of {@link #swapName} return these bytes instead. */
  private String swapName;
  private byte[] swapBytes;
  private int swapNameOpens;

  /** What {@link #capabilities()} says; tests make it cold. */
  DestinationCapabilities capabilities = DestinationCapabilities.STANDARD;

  @Override
  public DestinationCapabilities capabilities() {
    return capabilities;
  }

  /** Simulates a destination whose file changes after it was first read. */
  void changeAfterFirstRead(String name, byte[] bytes) {
    swapName = name;
    swapBytes = bytes.clone();
  }

  @Override
  public String providerName() {
    return "memory";
  }

  @Override
  public String description() {
    return "memory:test";
  }

  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    return put(name, Files.readAllBytes(file));
  }

  /** Stores {@code bytes} under {@code name}. */
  StoredFile put(String name, byte[] bytes) {
    files.put(StoredNames.requireSafe(name), bytes.clone());
    return new StoredFile(name, bytes.length, name);
  }

  @Override
  public List<StoredFile> list(String prefix) {
    return files.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .map(e -> new StoredFile(e.getKey(), e.getValue().length, e.getKey())).toList();
  }

  @Override
  public InputStream open(String name) throws IOException {
    byte[] bytes = files.get(name);
    if (bytes == null) {
      throw new BackupFileNotFoundException(description(), name);
    }
    opens.incrementAndGet();
    if (name.equals(swapName) && ++swapNameOpens > 1) {
      return new ByteArrayInputStream(swapBytes);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public void delete(String name) {
    files.remove(name);
  }
}
