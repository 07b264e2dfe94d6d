package org.periodicbackups.core.restore;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.destination.StoredFile;

/**
 * The chain rules of restore for code that rewrites chains (compaction, docs/DESIGN.md "Continuous
 * backup and compaction"): which files a destination holds of one chain, the path a restore of it
 * reads, and the check of one link. Reads no file.
 */
public final class ChainFiles {
  private ChainFiles() {}

  /**
   * The files of {@code database}'s chain started at {@code chainStart} in {@code listing}, in
   * chain order with superseded files dropped; empty if there are none.
   */
  public static List<PlannedFile> chain(
      List<StoredFile> listing, String database, Instant chainStart) {
    TreeMap<Instant, List<PlannedFile>> chains =
        Catalogue.of(listing, database).databases.get(database);
    if (chains == null) {
      return List.of();
    }
    return chains.getOrDefault(chainStart, List.of());
  }

  /**
   * The files a restore of the whole of {@code chain} reads: the fewest, compacted files first.
   *
   * @throws InvalidBackupException if the chain has no full backup or a gap
   */
  public static List<PlannedFile> restorePath(List<PlannedFile> chain)
      throws InvalidBackupException {
    List<PlannedFile> path = ChainChooser.furthest(chain, f -> true);
    ChainLinks.requireContiguous(path);
    return path;
  }

  /**
   * Checks {@code current}, read in full, against {@code previous}, the file before it in a chain
   * of {@code database}, as restore does.
   */
  public static void checkLink(String database, VerifiedFile previous, VerifiedFile current)
      throws InvalidBackupException {
    ChainLinks.check(database, previous, current);
  }
}
