package org.periodicbackups.core.backup;

import java.nio.file.Path;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;

/**
 * A dump file written to local disk, ready to upload.
 *
 * @param path where it is
 * @param header its header
 * @param counts how many entries of each kind it holds
 * @param size its size in bytes
 * @param sha256 the SHA-256 of its bytes, lower-case hex
 */
record ExportedFile(Path path, DumpHeader header, DumpCounts counts, long size, String sha256) {

  /** Whether it holds no entry at all. */
  boolean isEmpty() {
    return counts.documents()
            + counts.attachments()
            + counts.documentDeletions()
            + counts.attachmentDeletions()
        == 0;
  }

  long deletions() {
    return counts.documentDeletions() + counts.attachmentDeletions();
  }
}
