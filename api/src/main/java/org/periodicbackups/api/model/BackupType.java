package org.periodicbackups.api.model;

/** The two kinds of backup file. */
public enum BackupType {
  /** Everything in the database as of the cut; starts a chain. */
  FULL("Full", "full"),
  /** The changes since the previous file of the chain. */
  INCREMENTAL("Incremental", "incremental");

  private final String displayName;
  private final String fileSuffix;

  BackupType(String displayName, String fileSuffix) {
    this.displayName = displayName;
    this.fileSuffix = fileSuffix;
  }

  /** As written in dump headers and status documents: {@code Full} or {@code Incremental}. */
  public String displayName() {
    return displayName;
  }

  /** As written in file names: {@code full} or {@code incremental}. */
  public String fileSuffix() {
    return fileSuffix;
  }

  /** Parses {@link #displayName()}, ignoring case. */
  public static BackupType fromDisplayName(String name) {
    for (BackupType type : values()) {
      if (type.displayName.equalsIgnoreCase(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown backup type '" + name + "'; known: Full, Incremental");
  }
}
