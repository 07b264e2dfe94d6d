package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * The verification of one chain found at a destination.
 *
 * @param database its database
 * @param chainStart when its full backup was created
 * @param files the files verified before a problem was found (all of them if none was)
 * @param fileCount how many files the chain has at the destination
 * @param problem what is wrong, naming the file; null if the chain is sound
 */
public record ChainReport(
    String database, Instant chainStart, List<VerifiedFile> files, int fileCount, String problem) {
  public ChainReport {
    requireNonNull(database, "database is null");
    requireNonNull(chainStart, "chainStart is null");
    files = List.copyOf(files);
  }

  /** Whether every file of the chain was verified and every link holds. */
  public boolean ok() {
    return problem == null;
  }
}
