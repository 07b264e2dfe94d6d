package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;

/**
 * A file read in full and found valid.
 *
 * @param file the file
 * @param header its header
 * @param size the number of bytes read
 * @param sha256 the SHA-256 of those bytes, lower-case hex (compare the last file's with the status
 *     document's history: no later file vouches for it)
 * @param counts its entries
 */
public record VerifiedFile(
    PlannedFile file, DumpHeader header, long size, String sha256, DumpCounts counts) {
  public VerifiedFile {
    requireNonNull(file, "file is null");
    requireNonNull(header, "header is null");
    requireNonNull(sha256, "sha256 is null");
    requireNonNull(counts, "counts is null");
  }
}
