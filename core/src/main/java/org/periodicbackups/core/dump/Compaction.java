package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

/**
 * The {@code Compacts} object of a compacted file's header: it merges {@code files} consecutive
 * files of its chain, the last of which is {@code last} with SHA-256 {@code lastSha256}. The next
 * file of the chain names that last file as its {@code Previous}, so the compacted file stands in
 * for it in the chain check (docs/DESIGN.md, "Continuous backup and compaction").
 *
 * @param files {@code Files}: how many positions of the chain the file merges, at least 2
 * @param last {@code Last}: the relative name of the last incremental merged
 * @param lastSha256 {@code LastSha256}: that file's SHA-256, lower-case hex
 */
public record Compaction(int files, String last, String lastSha256) {
  /** Checks the fields. */
  public Compaction {
    if (files < 2) {
      throw new IllegalArgumentException("a compacted file merges at least 2 files, not " + files);
    }
    requireNonNull(last, "last is null");
    requireNonNull(lastSha256, "lastSha256 is null");
    if (!lastSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "lastSha256 '" + lastSha256 + "' is not 64 lower-case hex digits");
    }
  }
}
