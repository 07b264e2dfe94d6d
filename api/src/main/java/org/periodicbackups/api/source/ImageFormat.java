package org.periodicbackups.api.source;

import static java.util.Objects.requireNonNull;

/**
 * The format of a physical database image: the store that wrote it and the version of that store's
 * file format, for example {@code pbk-sqlite} version 2. A restore builds a database from an image
 * only if the target reads exactly this format and version; a snapshot backup file records it in
 * its header.
 *
 * @param name the format's name: lower-case letters, digits and {@code -}, 1 to 40 characters
 * @param version the format's version, at least 1
 */
public record ImageFormat(String name, int version) {

  /** Checks both fields. */
  public ImageFormat {
    requireNonNull(name, "name is null");
    if (!name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
      throw new IllegalArgumentException(
          "image format name '"
              + name
              + "' must be 1 to 40 lower-case letters, digits or '-', starting with a letter or a"
              + " digit");
    }
    if (version < 1) {
      throw new IllegalArgumentException("image format version must be >= 1 but was " + version);
    }
  }

  /** {@code name version N}, as messages show it. */
  @Override
  public String toString() {
    return name + " version " + version;
  }
}
