package org.periodicbackups.api.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.periodicbackups.api.model.BackupType;

/**
 * One successful backup, as kept in the status document's history.
 *
 * @param fileName the file's name relative to its destinations
 * @param type full or incremental
 * @param copies where it was stored, one entry per destination
 * @param size its size in bytes
 * @param sha256 the SHA-256 of its bytes, lower-case hex
 * @param fromEtag it covers changes after this etag
 * @param toEtag … up to and including this one
 * @param startedAt when the run started
 * @param durationMilliseconds how long export and upload took
 * @param documents number of documents in the file
 * @param attachments number of attachments in the file
 * @param deletions number of document and attachment deletions in the file
 * @param leaseToken {@code LeaseToken}: the fencing token of the backup lease it was written under,
 *     or null if the writer held none (no destination with conditional writes)
 */
@JsonPropertyOrder({
  "FileName",
  "Type",
  "Copies",
  "Size",
  "Sha256",
  "FromEtag",
  "ToEtag",
  "StartedAt",
  "DurationMilliseconds",
  "Documents",
  "Attachments",
  "Deletions",
  "LeaseToken"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupRecord(
    @JsonProperty("FileName") String fileName,
    @JsonProperty("Type") BackupType type,
    @JsonProperty("Copies") List<BackupCopy> copies,
    @JsonProperty("Size") long size,
    @JsonProperty("Sha256") String sha256,
    @JsonProperty("FromEtag") long fromEtag,
    @JsonProperty("ToEtag") long toEtag,
    @JsonProperty("StartedAt") Instant startedAt,
    @JsonProperty("DurationMilliseconds") long durationMilliseconds,
    @JsonProperty("Documents") long documents,
    @JsonProperty("Attachments") long attachments,
    @JsonProperty("Deletions") long deletions,
    @JsonProperty("LeaseToken") Long leaseToken) {
  public BackupRecord {
    requireNonNull(fileName, "fileName is null");
    requireNonNull(type, "type is null");
    copies = copies == null ? List.of() : List.copyOf(copies);
    requireNonNull(sha256, "sha256 is null");
    requireNonNull(startedAt, "startedAt is null");
  }
}
