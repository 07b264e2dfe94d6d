package org.periodicbackups.api.destination;

import static java.util.Objects.requireNonNull;

import org.periodicbackups.api.model.BackupType;

/**
 * What a destination may record alongside an uploaded file (for example as S3 user metadata or in a
 * Glacier archive description).
 *
 * @param database the source database's name
 * @param type full or incremental
 * @param fromEtag the file covers changes after this etag
 * @param toEtag … up to and including this etag (the cut)
 * @param sha256 the SHA-256 of the file's bytes, lower-case hex
 */
public record UploadMetadata(
    String database, BackupType type, long fromEtag, long toEtag, String sha256) {
  public UploadMetadata {
    requireNonNull(database, "database is null");
    requireNonNull(type, "type is null");
    requireNonNull(sha256, "sha256 is null");
  }
}
