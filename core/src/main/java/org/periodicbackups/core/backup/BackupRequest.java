package org.periodicbackups.core.backup;

/**
 * What a caller asks of one backup run.
 *
 * @param forceFull start a new chain with a full backup even if an incremental one would do
 * @param ignoreDisabled run even when the setup document says {@code Disabled: true} (an operator's
 *     explicit "back up now")
 */
public record BackupRequest(boolean forceFull, boolean ignoreDisabled) {
  /** The scheduler's request: incremental unless a full one is due; honours {@code Disabled}. */
  public static final BackupRequest SCHEDULED = new BackupRequest(false, false);
}
