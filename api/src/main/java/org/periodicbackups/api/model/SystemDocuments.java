package org.periodicbackups.api.model;

/**
 * Keys of system documents. Documents whose key starts with {@value #PREFIX} belong to the database
 * itself: they are never exported and never imported.
 */
public final class SystemDocuments {
  /** Prefix of every system document key. */
  public static final String PREFIX = "Raven/";

  /** The periodic backup setup document. */
  public static final String SETUP_KEY = "Raven/Backup/Periodic/Setup";

  /** The periodic backup status document, written by the engine after each successful run. */
  public static final String STATUS_KEY = "Raven/Backup/Periodic/Status";

  private SystemDocuments() {}

  /** Whether {@code key} names a system document. */
  public static boolean isSystemKey(String key) {
    return key.startsWith(PREFIX);
  }
}
