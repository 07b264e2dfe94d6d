package org.periodicbackups.core.restore;

import java.io.IOException;

/**
 * A restore cannot be planned: no backup files where the user pointed, several databases and none
 * named, no chain before the requested time. The message says what was found and what to pass
 * instead. Problems with a file or a chain are {@link
 * org.periodicbackups.api.InvalidBackupException}s instead.
 */
public class RestoreException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A planning problem described by {@code message}. */
  public RestoreException(String message) {
    super(message);
  }
}
