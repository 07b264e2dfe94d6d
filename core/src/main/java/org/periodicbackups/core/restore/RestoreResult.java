package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A finished restore.
 *
 * @param verification the chain as verified before anything was applied
 * @param files what each file wrote, in order
 * @param content whether the restored database was proved equal to the source at the last file's
 *     cut
 */
public record RestoreResult(
    ChainVerification verification, List<AppliedFile> files, ContentCheck content) {
  public RestoreResult {
    requireNonNull(verification, "verification is null");
    files = List.copyOf(files);
    requireNonNull(content, "content is null");
  }

  /**
   * A restore applied in place to an existing database, whose content is not compared: a mismatch
   * found after the apply could not be undone.
   */
  public RestoreResult(ChainVerification verification, List<AppliedFile> files) {
    this(
        verification,
        files,
        ContentCheck.notChecked(
            verification.files().get(verification.files().size() - 1).file().storedName(),
            "applied in place to an existing database (a restore into a new database proves it)"));
  }

  /** The last applied file's name. */
  public String lastFile() {
    return content.fileName();
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
