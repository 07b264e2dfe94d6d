package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import org.periodicbackups.core.dump.DumpHeader;

/**
 * What applying one file wrote to the target.
 *
 * @param file the file
 * @param header its header
 * @param documents documents put
 * @param attachments attachments put
 * @param documentDeletions document deletes
 * @param attachmentDeletions attachment deletes
 * @param systemDocumentsSkipped entries about system documents ({@code Raven/…}), never imported
 */
public record AppliedFile(
    PlannedFile file,
    DumpHeader header,
    long documents,
    long attachments,
    long documentDeletions,
    long attachmentDeletions,
    long systemDocumentsSkipped) {
  public AppliedFile {
    requireNonNull(file, "file is null");
    requireNonNull(header, "header is null");
  }
}
