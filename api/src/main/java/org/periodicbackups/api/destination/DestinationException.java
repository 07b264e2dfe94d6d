package org.periodicbackups.api.destination;

import java.io.IOException;

/**
 * A destination operation failed. The message names the destination (as {@link
 * BackupDestination#description()}, never with secrets) and, where one is concerned, the file.
 */
public class DestinationException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public DestinationException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public DestinationException(String message, Throwable cause) {
    super(message, cause);
  }
}
