package org.periodicbackups.api.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.periodicbackups.api.model.Etags;

/**
 * The status document {@code Raven/Backup/Periodic/Status}: how far backups have got. The engine
 * writes it only after a file was uploaded and verified, so a failed run leaves the etags as they
 * were and the next run covers the same changes again.
 *
 * <p>Each etag field says up to which etag that kind of change is covered by the current chain.
 * With one etag sequence per database (as in the embedded store) all four are the cut of the last
 * backup.
 *
 * @param lastBackup {@code LastBackup}: when the last successful backup (of either type) started
 * @param lastFullBackup {@code LastFullBackup}: when the last successful full backup started
 * @param lastDocsEtag {@code LastDocsEtag}
 * @param lastAttachmentsEtag {@code LastAttachmentsEtag}
 * @param lastDocsDeletionEtag {@code LastDocsDeletionEtag}
 * @param lastAttachmentDeletionEtag {@code LastAttachmentDeletionEtag}
 * @param lastError {@code LastError}: the last failed run, cleared by the next success
 * @param history {@code History}: the most recent successful backups, oldest first; the last entry
 *     is the newest file of the current chain
 * @param lastDrill {@code LastDrill}: the last restore drill (pbk drill), or null
 */
@JsonPropertyOrder({
  "LastBackup",
  "LastFullBackup",
  "LastDocsEtag",
  "LastAttachmentsEtag",
  "LastDocsDeletionEtag",
  "LastAttachmentDeletionEtag",
  "LastError",
  "History",
  "LastDrill"
})
public record PeriodicBackupStatus(
    @JsonProperty("LastBackup") Instant lastBackup,
    @JsonProperty("LastFullBackup") Instant lastFullBackup,
    @JsonProperty("LastDocsEtag") long lastDocsEtag,
    @JsonProperty("LastAttachmentsEtag") long lastAttachmentsEtag,
    @JsonProperty("LastDocsDeletionEtag") long lastDocsDeletionEtag,
    @JsonProperty("LastAttachmentDeletionEtag") long lastAttachmentDeletionEtag,
    @JsonProperty("LastError") BackupError lastError,
    @JsonProperty("History") List<BackupRecord> history,
    @JsonProperty("LastDrill") DrillRecord lastDrill) {

  /** How many history entries are kept. */
  public static final int HISTORY_LIMIT = 50;

  public PeriodicBackupStatus {
    Etags.requireValid(lastDocsEtag, "LastDocsEtag");
    Etags.requireValid(lastAttachmentsEtag, "LastAttachmentsEtag");
    Etags.requireValid(lastDocsDeletionEtag, "LastDocsDeletionEtag");
    Etags.requireValid(lastAttachmentDeletionEtag, "LastAttachmentDeletionEtag");
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** The status of a database that was never backed up. */
  public static PeriodicBackupStatus initial() {
    return new PeriodicBackupStatus(null, null, 0, 0, 0, 0, null, List.of(), null);
  }

  /** The newest file of the current chain, if any. */
  @JsonIgnore
  public Optional<BackupRecord> lastFile() {
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  /**
   * The etag up to which every kind of change is covered: the lowest of the four. The next
   * incremental backup starts after it.
   */
  @JsonIgnore
  public long coveredEtag() {
    return Math.min(
        Math.min(lastDocsEtag, lastAttachmentsEtag),
        Math.min(lastDocsDeletionEtag, lastAttachmentDeletionEtag));
  }

  /** The status after {@code backup} succeeded: etags advanced, error cleared, history appended. */
  public PeriodicBackupStatus withSuccess(BackupRecord backup) {
    List<BackupRecord> newHistory = new ArrayList<>(history);
    newHistory.add(backup);
    if (newHistory.size() > HISTORY_LIMIT) {
      newHistory = newHistory.subList(newHistory.size() - HISTORY_LIMIT, newHistory.size());
    }
    Instant full =
        backup.type() == org.periodicbackups.api.model.BackupType.FULL
            ? backup.startedAt()
            : lastFullBackup;
    long etag = backup.toEtag();
    return new PeriodicBackupStatus(
        backup.startedAt(), full, etag, etag, etag, etag, null, newHistory, lastDrill);
  }

  /** The status after a failed run: everything as it was, but the error recorded. */
  public PeriodicBackupStatus withError(BackupError error) {
    return new PeriodicBackupStatus(
        lastBackup,
        lastFullBackup,
        lastDocsEtag,
        lastAttachmentsEtag,
        lastDocsDeletionEtag,
        lastAttachmentDeletionEtag,
        error,
        history,
        lastDrill);
  }

  /** The status with {@code drill} as the last drill; everything else as it was. */
  public PeriodicBackupStatus withDrill(DrillRecord drill) {
    return new PeriodicBackupStatus(
        lastBackup,
        lastFullBackup,
        lastDocsEtag,
        lastAttachmentsEtag,
        lastDocsDeletionEtag,
        lastAttachmentDeletionEtag,
        lastError,
        history,
        drill);
  }
}
