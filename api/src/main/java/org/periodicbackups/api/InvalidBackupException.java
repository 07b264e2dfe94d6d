package org.periodicbackups.api;

import java.io.IOException;
import java.util.Objects;

/**
 * A backup file or chain that cannot be trusted: unreadable, truncated, of an unknown format
 * version, of another database, out of order, with a missing file, or with a checksum that does not
 * match. The message names the file and the problem.
 *
 * <p>Restore and verify throw it before anything is applied to the target.
 */
public class InvalidBackupException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String fileName;

  /** A problem with one file, named relative to its destination. */
  public InvalidBackupException(String fileName, String problem) {
    this(fileName, problem, null);
  }

  /** A problem with one file, with the underlying cause. */
  public InvalidBackupException(String fileName, String problem, Throwable cause) {
    super(fileName + ": " + Objects.requireNonNull(problem, "problem is null"), cause);
    this.fileName = Objects.requireNonNull(fileName, "fileName is null");
  }

  /** The file concerned, named relative to its destination. */
  public String fileName() {
    return fileName;
  }
}
