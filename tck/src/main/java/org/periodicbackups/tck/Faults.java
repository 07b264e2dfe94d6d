package org.periodicbackups.tck;

import java.util.HashMap;
import java.util.Map;

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

  private final Map<Integer, UploadFault> uploadFaults = new HashMap<>();
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
