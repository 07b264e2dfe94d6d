package org.periodicbackups.api.destination;

import static java.util.Objects.requireNonNull;

/**
 * A file held by a destination.
 *
 * @param name the file's name relative to the destination, {@code /}-separated
 * @param size its size in bytes
 * @param locator where the destination keeps it, for the status history: a path, an S3 key, a
 *     Glacier archive id
 */
public record StoredFile(String name, long size, String locator) {
  public StoredFile {
    requireNonNull(name, "name is null");
    requireNonNull(locator, "locator is null");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0 but was " + size);
    }
  }
}
