package org.periodicbackups.core.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.destination.filesystem.FilesystemDestination;

/**
 * A remote destination ({@code Destinations: {"gate": {}}}) over a real folder that counts
 * uploads, can fail them, and can hold an upload until the test releases it (or interrupts it).
 */
final class GateProvider implements DestinationProvider {
  final AtomicInteger uploads = new AtomicInteger();
  final AtomicBoolean failing = new AtomicBoolean();
  private final Path folder;
  private volatile CountDownLatch entered = new CountDownLatch(1);
  private volatile CountDownLatch release = new CountDownLatch(0);

  GateProvider(Path folder) {
    this.folder = folder;
  }

  /** The next uploads wait in {@code upload} until {@link #letThrough()}. */
  void hold() {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
  }

  /** Lets waiting and later uploads through. */
  void letThrough() {
    release.countDown();
  }

  /** Waits (bounded) until an upload is waiting at the gate. */
  void awaitUploadWaiting() throws InterruptedException {
    if (!entered.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("no upload reached the gate within 10 s");
    }
  }

  @Override
  public String name() {
    return "gate";
  }

  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return setup.destinations().containsKey(name());
  }

  @Override
  public BackupDestination create(DestinationContext context) {
    FilesystemDestination files = new FilesystemDestination(folder);
    return new BackupDestination() {
      @Override
      public String providerName() {
        return name();
      }

      @Override
      public String description() {
        return "gate:" + folder;
      }

      @Override
      public StoredFile upload(String name, Path file, UploadMetadata metadata)
          throws IOException {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("upload of " + name + " interrupted");
        }
        if (failing.get()) {
          throw new DestinationException(description() + ": connection refused (test)");
        }
        StoredFile stored = files.upload(name, file, metadata);
        uploads.incrementAndGet();
        return stored;
      }

      @Override
      public List<StoredFile> list(String prefix) throws IOException {
        return files.list(prefix);
      }

      @Override
      public InputStream open(String name) throws IOException {
        return files.open(name);
      }

      @Override
      public void delete(String name) throws IOException {
        files.delete(name);
      }
    };
  }
}
