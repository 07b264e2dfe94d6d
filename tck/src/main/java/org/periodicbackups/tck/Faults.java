package org.periodicbackups.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;

/**
 * Which calls of the {@link FaultInjectingDestination}s sharing this plan fail. Each method arms
 * one fault for the {@code nth} call of its kind counted from now (1 is the next call); calls that
 * were not armed pass through. Thread-safe.
 */
public final class Faults {
  /** What happens to an upload. */
  enum UploadFault {
    /** Throws before calling the destination: nothing is stored. */
    FAIL_BEFORE,
    /** Stores the file, then throws: the caller sees a failure, the destination holds it. */
    FAIL_AFTER
  }

  /** What happens to an {@code open} and the stream it returns. */
  record ReadFault(Kind kind, long bytes) {
    enum Kind {
      FAIL_OPEN,
      FAIL_READ,
      TRUNCATE,
      FLIP_BYTE
    }
  }

  /** An upload kept in a local file until {@link #takeDeferred()}. */
  record Deferred(String name, Path file, UploadMetadata metadata) {}

  private final Map<Integer, UploadFault> uploadFaults = new HashMap<>();
  private final List<Deferred> deferred = new ArrayList<>();
  private Path deferTo;
  private final Map<Integer, ReadFault> readFaults = new HashMap<>();
  private int uploads;
  private int opens;

  /** The {@code nth} upload from now throws an {@link java.io.IOException}; nothing is stored. */
  public synchronized Faults failUpload(int nth) {
    uploadFaults.put(uploads + positive(nth), UploadFault.FAIL_BEFORE);
    return this;
  }

  /** The {@code nth} upload from now stores the file, then throws an IOException. */
  public synchronized Faults failUploadAfterStoring(int nth) {
    uploadFaults.put(uploads + positive(nth), UploadFault.FAIL_AFTER);
    return this;
  }

  /** The {@code nth} {@code open} from now throws an IOException. */
  public synchronized Faults failOpen(int nth) {
    return read(nth, ReadFault.Kind.FAIL_OPEN, 0);
  }

  /** The stream of the {@code nth} {@code open} from now throws after {@code bytes} bytes. */
  public synchronized Faults failReadAfter(int nth, long bytes) {
    return read(nth, ReadFault.Kind.FAIL_READ, bytes);
  }

  /**
   * The stream of the {@code nth} {@code open} from now ends {@code droppedBytes} early, without an
   * error: a short read that a destination failed to report.
   */
  public synchronized Faults truncateRead(int nth, int droppedBytes) {
    return read(nth, ReadFault.Kind.TRUNCATE, droppedBytes);
  }

  /**
   * The stream of the {@code nth} {@code open} from now has the byte at {@code position} flipped.
   */
  public synchronized Faults flipByte(int nth, long position) {
    return read(nth, ReadFault.Kind.FLIP_BYTE, position);
  }

  /**
   * From now on, uploads are copied into {@code folder} and reported as stored, without calling the
   * destination, until {@link #takeDeferred()}: a long chain is built at the engine's pace and then
   * uploaded in parallel.
   */
  synchronized Faults deferUploads(Path folder) {
    deferTo = folder;
    return this;
  }

  /** The uploads deferred so far, in order; stops deferring. */
  synchronized List<Deferred> takeDeferred() {
    List<Deferred> taken = List.copyOf(deferred);
    deferred.clear();
    deferTo = null;
    return taken;
  }

  /** If uploads are deferred, keeps a copy of {@code file} and returns what it reports. */
  synchronized StoredFile deferIfAsked(String name, Path file, UploadMetadata metadata)
      throws IOException {
    if (deferTo == null) {
      return null;
    }
    Path copy = Files.copy(file, deferTo.resolve("deferred-" + deferred.size()));
    deferred.add(new Deferred(name, copy, metadata));
    return new StoredFile(name, Files.size(copy), "deferred:" + name);
  }

  /** Disarms every fault not injected yet. */
  public synchronized Faults clear() {
    uploadFaults.clear();
    readFaults.clear();
    return this;
  }

  /** How many uploads went through destinations of this plan. */
  public synchronized int uploads() {
    return uploads;
  }

  /** How many {@code open} calls went through destinations of this plan. */
  public synchronized int opens() {
    return opens;
  }

  synchronized UploadFault nextUpload() {
    return uploadFaults.remove(++uploads);
  }

  synchronized ReadFault nextOpen() {
    return readFaults.remove(++opens);
  }

  private Faults read(int nth, ReadFault.Kind kind, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative but was " + bytes);
    }
    readFaults.put(opens + positive(nth), new ReadFault(kind, bytes));
    return this;
  }

  private static int positive(int nth) {
    if (nth < 1) {
      throw new IllegalArgumentException("nth counts from 1 but was " + nth);
    }
    return nth;
  }
}
