package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * The files of one chain to apply, in order: the full backup, then its incrementals.
 *
 * @param database the source database
 * @param chainStart when the chain's full backup was created
 * @param files the files, full first, sequence without gaps; never empty
 * @param ignoredNames listed names that are not backup files (reported, never applied)
 */
public record RestorePlan(
    String database, Instant chainStart, List<PlannedFile> files, List<String> ignoredNames) {
  public RestorePlan {
    requireNonNull(database, "database is null");
    requireNonNull(chainStart, "chainStart is null");
    files = List.copyOf(files);
    ignoredNames = List.copyOf(ignoredNames);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a restore plan holds at least the full backup");
    }
  }

  /** The last file to apply: the state the restore reaches. */
  public PlannedFile last() {
    return files.get(files.size() - 1);
  }
}
