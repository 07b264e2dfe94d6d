package org.periodicbackups.api.destination;

/** {@link BackupDestination#open(String)} was asked for a file the destination does not hold. */
public class BackupFileNotFoundException extends DestinationException {
  private static final long serialVersionUID = 1L;

  private final String fileName;

  /** The file {@code fileName} is not at the destination described by {@code destination}. */
  public BackupFileNotFoundException(String destination, String fileName) {
    super(destination + ": no backup file named '" + fileName + "'");
    this.fileName = fileName;
  }

  /** The name that was asked for. */
  public String fileName() {
    return fileName;
  }
}
