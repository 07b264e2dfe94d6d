package org.periodicbackups.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.destination.filesystem.FilesystemDestination;

/**
 * A third-party remote destination, configured by {@code Destinations: {"<name>": {}}}, that keeps
 * files in a real folder and lets the test control uploads: count them, fail them as an unreachable
 * store would, or hold them until released (or interrupted).
 */
public final class GateProvider implements DestinationProvider {
  private final String name;
  private final Path folder;
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile CountDownLatch entered = new CountDownLatch(1);
  private volatile CountDownLatch release = new CountDownLatch(0);

  /** A provider named {@code name} storing in {@code folder}. */
  public GateProvider(String name, Path folder) {
    this.name = name;
    this.folder = folder;
  }

  /** How many uploads were stored. */
  public int uploads() {
    return uploads.get();
  }

  /** While true, uploads fail with a {@link DestinationException}. */
  public void failUploads(boolean fail) {
    failing.set(fail);
  }

  /** The next uploads wait in {@code upload} until {@link #letThrough()}. */
  public void hold() {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
  }

  /** Lets waiting and later uploads through. */
  public void letThrough() {
    release.countDown();
  }

  /** Waits (at most 10 s) until an upload is waiting at the gate. */
  public void awaitUploadWaiting() throws InterruptedException {
    if (!entered.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no upload reached the gate within 10 s");
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public BackupDestination create(DestinationContext context) {
    return new Gated(new FilesystemDestination(folder));
  }

  /** The folder's destination, with uploads through the gate. */
  private final class Gated implements BackupDestination {
    private final FilesystemDestination files;

    Gated(FilesystemDestination files) {
      this.files = files;
    }

    @Override
    public String providerName() {
      return name;
    }

    @Override
    public String description() {
      return name + ":" + folder;
    }

    @Override
    public StoredFile upload(String file, Path source, UploadMetadata metadata) throws IOException {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("upload of " + file + " interrupted");
      }
      if (failing.get()) {
        throw new DestinationException(description() + ": connection refused (test)");
      }
      StoredFile stored = files.upload(file, source, metadata);
      uploads.incrementAndGet();
      return stored;
    }

    @Override
    public List<StoredFile> list(String prefix) throws IOException {
      return files.list(prefix);
    }

    @Override
    public InputStream open(String file) throws IOException {
      return files.open(file);
    }

    @Override
    public void delete(String file) throws IOException {
      files.delete(file);
    }
  }
}
