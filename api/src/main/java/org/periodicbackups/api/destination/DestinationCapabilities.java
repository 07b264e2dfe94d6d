package org.periodicbackups.api.destination;

/**
 * What a destination can and cannot do, so that the engine, the restore and the compatibility kit
 * adapt instead of failing.
 *
 * @param immediateListing a file is listed as soon as its upload returns (false for stores whose
 *     listing is an asynchronous inventory job, such as a Glacier vault)
 * @param immediateReads {@link BackupDestination#open(String)} returns data without a retrieval
 *     wait (false for cold storage, where open may block for a bounded time)
 * @param maxFileSize the largest file it accepts, in bytes
 */
public record DestinationCapabilities(
    boolean immediateListing, boolean immediateReads, long maxFileSize) {

  /** Immediate listing and reads, no size limit: a disk or a standard S3 bucket. */
  public static final DestinationCapabilities STANDARD =
      new DestinationCapabilities(true, true, Long.MAX_VALUE);

  public DestinationCapabilities {
    if (maxFileSize <= 0) {
      throw new IllegalArgumentException("maxFileSize must be > 0 but was " + maxFileSize);
    }
  }
}
