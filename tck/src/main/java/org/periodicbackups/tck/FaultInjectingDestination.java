package org.periodicbackups.tck;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;

/**
 * A destination that passes every call to another one, except the faults its {@link Faults} plan
 * injects: a failing upload, a failing {@code open}, a read that fails part-way, a read that ends
 * early without an error (the tail dropped), a read with one byte flipped.
 *
 * <p>The fault rules (F) wrap the destination under test with it, so that they check what the
 * engine and the restore promise with that destination's own behaviour. Faults are counted per
 * plan, not per destination: the engine creates a new destination for every run, and all of them
 * share one plan. Injected failures are {@link IOException}s whose message starts with {@value
 * #INJECTED}. Thread-safe when the delegate is.
 */
public final class FaultInjectingDestination implements BackupDestination {
  /** The start of every injected failure's message. */
  public static final String INJECTED = "pbk-tck injected fault: ";

  private final BackupDestination delegate;
  private final Faults faults;

  /** Wraps {@code delegate}; {@code faults} says which calls fail. */
  public FaultInjectingDestination(BackupDestination delegate, Faults faults) {
    this.delegate = requireNonNull(delegate, "delegate is null");
    this.faults = requireNonNull(faults, "faults is null");
  }

  /** The wrapped destination. */
  public BackupDestination delegate() {
    return delegate;
  }

  @Override
  public String providerName() {
    return delegate.providerName();
  }

  @Override
  public String description() {
    return delegate.description();
  }

  @Override
  public DestinationCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    StoredFile deferred = faults.deferIfAsked(name, file, metadata);
    if (deferred != null) {
      return deferred;
    }
    Faults.UploadFault fault = faults.nextUpload();
    if (fault == Faults.UploadFault.FAIL_BEFORE) {
      throw new IOException(INJECTED + "upload of '" + name + "' failed; nothing was stored");
    }
    StoredFile stored = delegate.upload(name, file, metadata);
    if (fault == Faults.UploadFault.FAIL_AFTER) {
      throw new IOException(
          INJECTED + "upload of '" + name + "' failed after the file was" + " stored");
    }
    return stored;
  }

  @Override
  public List<StoredFile> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public InputStream open(String name) throws IOException {
    Faults.ReadFault fault = faults.nextOpen();
    if (fault == null) {
      return delegate.open(name);
    }
    if (fault.kind() == Faults.ReadFault.Kind.FAIL_OPEN) {
      throw new IOException(INJECTED + "open('" + name + "') failed");
    }
    InputStream in = delegate.open(name);
    return switch (fault.kind()) {
      case FAIL_READ ->
          new FaultyStreams.FailingAfter(
              in,
              fault.bytes(),
              INJECTED + "reading '" + name + "' failed after " + fault.bytes() + " bytes");
      case TRUNCATE -> new FaultyStreams.TailDropping(in, Math.toIntExact(fault.bytes()));
      case FLIP_BYTE -> new FaultyStreams.ByteFlipping(in, fault.bytes());
      case FAIL_OPEN -> throw new AssertionError("handled above");
    };
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultInjectingDestination[" + delegate + "]";
  }
}
