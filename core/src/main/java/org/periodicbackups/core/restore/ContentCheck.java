package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Optional;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.core.dump.DumpHeader;

/**
 * Whether a restore proved that the database it built equals the source at the cut of the last
 * applied file (docs/DESIGN.md, "Proof of recovery"): the content the file's header records against
 * the content computed from the restored database.
 *
 * @param status what was proved
 * @param fileName the last applied file, whose header holds the expected content
 * @param content the content proved equal (for {@link Status#MATCHED}), else null
 * @param reason why nothing was proved, else null
 */
public record ContentCheck(Status status, String fileName, ContentDigest content, String reason) {

  /** What a restore proved about the content. */
  public enum Status {
    /** The restored database holds exactly what the source held at the cut. */
    MATCHED,
    /** Nothing could be compared; {@link #reason()} says why. */
    NOT_CHECKED
  }

  public ContentCheck {
    requireNonNull(status, "status is null");
    requireNonNull(fileName, "fileName is null");
    if ((status == Status.MATCHED) != (content != null)
        || (status == Status.MATCHED) == (reason != null)) {
      throw new IllegalArgumentException(
          "a match has content and no reason, a non-check the reverse");
    }
  }

  /** A restore that did not check, for {@code reason}. */
  public static ContentCheck notChecked(String fileName, String reason) {
    return new ContentCheck(Status.NOT_CHECKED, fileName, null, reason);
  }

  /** Whether the content was proved equal. */
  public boolean matched() {
    return status == Status.MATCHED;
  }

  /**
   * Compares the content {@code header} records with the content computed from {@code restored}.
   *
   * @throws InvalidBackupException naming the file and both contents if they differ
   */
  static ContentCheck of(String fileName, DumpHeader header, RestoreTarget restored)
      throws IOException {
    if (header.content() == null) {
      return notChecked(
          fileName,
          header.formatVersion() < 2
              ? "the file was written before backups recorded their content (format version 1)"
              : "the source database keeps no content digest");
    }
    Optional<ContentDigest> computed = restored.computeContent();
    if (computed.isEmpty()) {
      return notChecked(fileName, "the target's store cannot compute a content digest");
    }
    ContentDigest expected = header.content();
    if (!expected.equals(computed.get())) {
      throw new InvalidBackupException(
          fileName,
          "the restored database does not equal the source at this file's cut: the file records "
              + expected.describe()
              + ", the restored database holds "
              + computed.get().describe()
              + "; nothing was restored. The chain's files are intact but the data they hold is"
              + " not what the source held: a bug in the source's store or in the backup, or files"
              + " forged with valid checksums");
    }
    return new ContentCheck(Status.MATCHED, fileName, expected, null);
  }

  /** For output: {@code content proved equal to the source at <file>: 12 documents, …}. */
  public String describe() {
    return matched()
        ? "content proved equal to the source at " + fileName + ": " + content.describe()
        : "content not proved: " + reason;
  }
}
