package org.periodicbackups.core.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;

/**
 * A read-only view of a cold destination (no immediate reads, such as a Glacier vault) that fetches
 * each file once into a local folder and serves every later read from there, so that verifying and
 * then applying a chain costs one retrieval per file, not two. The folder and its copies are
 * removed on {@link #close()}.
 */
final class StagedReads implements BackupDestination {
  private final BackupDestination cold;
  private final Path folder;
  private final Map<String, Path> staged = new HashMap<>();

  StagedReads(BackupDestination cold) throws IOException {
    this.cold = cold;
    this.folder = Files.createTempDirectory("pbk-restore-");
  }

  /** {@code source} itself when its reads are immediate, else a staging view of it. */
  static BackupDestination around(BackupDestination source) throws IOException {
    return source.capabilities().immediateReads() ? source : new StagedReads(source);
  }

  @Override
  public String providerName() {
    return cold.providerName();
  }

  @Override
  public String description() {
    return cold.description();
  }

  @Override
  public DestinationCapabilities capabilities() {
    return cold.capabilities();
  }

  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) {
    throw new UnsupportedOperationException("a restore never writes to its source");
  }

  @Override
  public List<StoredFile> list(String prefix) throws IOException {
    return cold.list(prefix);
  }

  @Override
  public synchronized InputStream open(String name) throws IOException {
    Path copy = staged.get(name);
    if (copy == null) {
      copy = folder.resolve("file-" + staged.size());
      try (InputStream in = cold.open(name)) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      staged.put(name, copy);
    }
    return Files.newInputStream(copy);
  }

  @Override
  public void delete(String name) {
    throw new UnsupportedOperationException("a restore never deletes from its source");
  }

  @Override
  public synchronized void close() throws IOException {
    for (Path copy : staged.values()) {
      Files.deleteIfExists(copy);
    }
    Files.deleteIfExists(folder);
  }
}
