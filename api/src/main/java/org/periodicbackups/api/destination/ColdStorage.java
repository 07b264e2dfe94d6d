package org.periodicbackups.api.destination;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Files that must be retrieved before they can be read: an S3 archive storage class (GLACIER,
 * DEEP_ARCHIVE), a Glacier vault. Lets a restore see what each file needs without reading any data
 * ({@link #states}), and make all of them readable at once ({@link #thaw}) instead of paying for
 * one retrieval wait after another. Requests already made, by an interrupted restore or another
 * reader, are reused, never paid twice.
 */
public interface ColdStorage {

  /** Where a file stands. */
  enum Availability {
    /** Readable now, without a retrieval (a standard storage class). */
    READABLE,
    /** A retrieval finished; a readable copy exists until {@link FileState#readableUntil}. */
    RESTORED,
    /** A retrieval was requested and is running. */
    RESTORING,
    /** A retrieval must be requested (and paid for) before the file can be read. */
    MUST_REQUEST
  }

  /**
   * One stored file as the store describes it.
   *
   * @param name the file's name
   * @param size its size in bytes
   * @param storageClass its storage class as the store names it ({@code STANDARD}, {@code GLACIER},
   *     {@code DEEP_ARCHIVE}, {@code GLACIER_IR}; {@code GLACIER_VAULT} for a vault)
   * @param availability whether it can be read now
   * @param readableUntil when a restored copy expires, or null if unknown or not restored
   */
  record FileState(
      String name,
      long size,
      String storageClass,
      Availability availability,
      Instant readableUntil) {
    public FileState {
      requireNonNull(name, "name is null");
      requireNonNull(storageClass, "storageClass is null");
      requireNonNull(availability, "availability is null");
    }
  }

  /**
   * The state of each named file, in order, from the store's metadata (listings, HEAD requests, job
   * lists); reads no data and requests nothing.
   *
   * @throws BackupFileNotFoundException if a file is not stored
   */
  List<FileState> states(List<String> names) throws IOException;

  /**
   * Makes every named file readable: requests the retrieval of each one that needs it, all at once
   * (reusing requests already made), then waits until all are readable, reporting progress to the
   * destination's {@link WaitListener}, for at most the destination's configured wait.
   *
   * @throws DestinationException if the wait ends first, saying how many are still running and that
   *     running the restore again reuses them
   */
  void thaw(List<String> names) throws IOException;

  /** The retrieval tier this destination requests in, such as {@code Standard}. */
  String tier();
}
