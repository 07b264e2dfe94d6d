package org.periodicbackups.core.restore;

import java.util.List;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpHeader;

/**
 * The continuity checks of a chain: by name, its files are sequence 0, 1, 2, … without gap; by
 * content, each file is of the chain's database and type, the first is a full backup, and each
 * later one starts at the etag where the one before ends ({@code FromEtag} = {@code ToEtag}), names
 * it as {@code Previous} with its SHA-256 as {@code PreviousSha256}, was not created before it, and
 * was not written under a lower lease token than it (docs/DESIGN.md, "One writer per chain"). Every
 * failure is an {@link InvalidBackupException} naming the file at fault.
 *
 * <p>A compacted file covers the positions {@code sequence} to {@code lastSequence} and stands for
 * the last file it merges: the file after it names that one, and that one's SHA-256, which the
 * compacted file's {@code Compacts} records (docs/DESIGN.md, "Continuous backup and compaction").
 */
final class ChainLinks {
  private ChainLinks() {}

  /**
   * Checks that {@code files} (a path through one chain, in order) cover positions 0, 1, 2, …
   * without gap, naming the missing position.
   */
  static void requireContiguous(List<PlannedFile> files) throws InvalidBackupException {
    int expected = 0;
    for (int i = 0; i < files.size(); i++) {
      BackupFileName name = files.get(i).name();
      if (name.sequence() == expected) {
        expected = name.lastSequence() + 1;
        continue;
      }
      String chain = name.chainFolder();
      if (i == 0) {
        throw new InvalidBackupException(
            chain + "/000000-*.full.json.gz",
            "the chain has no"
                + " full backup (sequence 000000), so it cannot be restored; its first file is '"
                + files.get(0).storedName()
                + "'");
      }
      String before = files.get(i - 1).storedName();
      throw new InvalidBackupException(
          String.format("%s/%06d-*.incremental.json.gz", chain, expected),
          "the file with sequence "
              + String.format("%06d", expected)
              + " is missing from chain "
              + chain
              + " (between '"
              + before
              + "' and '"
              + files.get(i).storedName()
              + "'); restore up to '"
              + before
              + "' with an until-file, or find the missing file");
    }
  }

  /**
   * Checks {@code current}, read in full, against {@code previous}, the file before it in the chain
   * (null for the first file).
   */
  static void check(String database, VerifiedFile previous, VerifiedFile current)
      throws InvalidBackupException {
    DumpHeader h = current.header();
    String name = current.file().storedName();
    BackupFileName parsed = current.file().name();
    if (!h.database().equals(database)) {
      throw new InvalidBackupException(
          name,
          "it is a backup of database '"
              + h.database()
              + "', not of '"
              + database
              + "'; it does not belong in this folder");
    }
    if (h.type() != parsed.type()) {
      throw new InvalidBackupException(
          name,
          "its header says "
              + h.type().displayName()
              + " but its name says "
              + parsed.type().fileSuffix()
              + "; it was renamed");
    }
    checkCompaction(name, parsed, h);
    if (previous == null) {
      if (h.type() != BackupType.FULL) {
        throw new InvalidBackupException(name, "a chain starts with a full backup");
      }
      return;
    }
    DumpHeader p = previous.header();
    String before = previous.file().storedName();
    if (h.leaseToken() < p.leaseToken()) {
      throw new InvalidBackupException(
          name,
          "fenced: it was written under backup lease token "
              + h.leaseToken()
              + " after the previous file '"
              + before
              + "' under token "
              + p.leaseToken()
              + ", by a writer whose lease had been taken over; restore up to '"
              + before
              + "' with an until-file");
    }
    if (h.fromEtag() != p.toEtag()) {
      throw new InvalidBackupException(
          name,
          "broken chain: it starts after etag "
              + h.fromEtag()
              + " but the previous file '"
              + before
              + "' ends at etag "
              + p.toEtag()
              + "; files are missing, out of order or from another chain");
    }
    String expectedPrevious = p.lastMerged(previous.file().name().path());
    if (!expectedPrevious.equals(h.previous())) {
      throw new InvalidBackupException(
          name,
          "broken chain: it follows '"
              + h.previous()
              + "' but the previous file here is '"
              + before
              + "'; files are out of order or"
              + " from another chain");
    }
    if (p.compacts() != null) {
      if (!p.compacts().lastSha256().equals(h.previousSha256())) {
        throw new InvalidBackupException(
            name,
            "broken chain: it follows '"
                + h.previous()
                + "' with SHA-256 "
                + h.previousSha256()
                + " but the compacted file '"
                + before
                + "' merged a file of that name with SHA-256 "
                + p.compacts().lastSha256()
                + "; one of them is from another chain or was replaced");
      }
    } else if (!previous.sha256().equals(h.previousSha256())) {
      throw new InvalidBackupException(
          before,
          "checksum mismatch: its SHA-256 is "
              + previous.sha256()
              + " but the next file '"
              + name
              + "' recorded "
              + h.previousSha256()
              + "; it was changed or replaced after the backup; use another"
              + " copy of it");
    }
    if (h.createdAt().isBefore(p.createdAt())) {
      throw new InvalidBackupException(
          name,
          "it was created at "
              + h.createdAt()
              + ", before the previous file '"
              + before
              + "' ("
              + p.createdAt()
              + ")");
    }
  }

  /** Checks that a compacted file's name and its header's {@code Compacts} agree. */
  private static void checkCompaction(String name, BackupFileName parsed, DumpHeader h)
      throws InvalidBackupException {
    if (h.compacts() == null) {
      if (parsed.isCompacted()) {
        throw new InvalidBackupException(
            name, "its name says it is compacted but its header has no Compacts; it was renamed");
      }
      return;
    }
    if (!parsed.isCompacted() || h.compacts().files() != parsed.positions()) {
      throw new InvalidBackupException(
          name,
          "its header says it merges "
              + h.compacts().files()
              + " files but its name covers "
              + parsed.positions()
              + " position(s); it was renamed");
    }
    boolean lastMatches =
        BackupFileName.parse(h.compacts().last())
            .filter(last -> last.chainFolder().equals(parsed.chainFolder()))
            .filter(last -> last.lastSequence() == parsed.lastSequence())
            .isPresent();
    if (!lastMatches) {
      throw new InvalidBackupException(
          name,
          "its header says the last file it merges is '"
              + h.compacts().last()
              + "', which is not at position "
              + parsed.lastSequence()
              + " of chain "
              + parsed.chainFolder());
    }
  }
}
