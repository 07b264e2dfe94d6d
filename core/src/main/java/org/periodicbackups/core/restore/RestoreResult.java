package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A finished restore.
 *
 * @param verification the chain as verified before anything was applied
 * @param files what each file wrote, in order
 */
public record RestoreResult(ChainVerification verification, List<AppliedFile> files) {
  public RestoreResult {
    requireNonNull(verification, "verification is null");
    files = List.copyOf(files);
  }

  /** The source etag the target now reflects: the last file's {@code ToEtag}. */
  public long toEtag() {
    return verification.toEtag();
  }

  /** Documents put, over all files. */
  public long documents() {
    return files.stream().mapToLong(AppliedFile::documents).sum();
  }

  /** Attachments put, over all files. */
  public long attachments() {
    return files.stream().mapToLong(AppliedFile::attachments).sum();
  }

  /** Deletes of both kinds, over all files. */
  public long deletions() {
    return files.stream().mapToLong(f -> f.documentDeletions() + f.attachmentDeletions()).sum();
  }

  /** System document entries skipped, over all files. */
  public long systemDocumentsSkipped() {
    return files.stream().mapToLong(AppliedFile::systemDocumentsSkipped).sum();
  }
}
