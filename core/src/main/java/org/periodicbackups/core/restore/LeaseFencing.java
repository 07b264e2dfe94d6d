package org.periodicbackups.core.restore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.dump.SnapshotFile;

/**
 * Restore's side of the backup lease (docs/DESIGN.md, "One writer per chain"), for a database with
 * a lease object at the destination: reads the fencing tokens of the files that matter from their
 * headers (the last file of each chain, to choose the latest state by token rather than by the
 * clocks of different writers; every file of the chosen chain), and drops from the chain each file
 * written under a lower token than a file before it, that is, by a writer whose lease had been
 * taken over. A dropped file that had superseded another at its position gives that one back.
 */
final class LeaseFencing {
  private final BackupDestination source;
  private final EncryptionKeys keys;
  private final Map<String, Long> tokens = new HashMap<>();

  LeaseFencing(BackupDestination source, EncryptionKeys keys) {
    this.source = source;
    this.keys = keys;
  }

  /** A token for a file whose header cannot be read here. */
  private static final long UNKNOWN = -1;

  /**
   * The lease token in {@code file}'s header for choosing a chain: 0 if it has none or its header
   * cannot be read here (a key this restore lacks, a damaged file: the full read reports that, if
   * the file is needed).
   */
  long token(PlannedFile file) {
    return Math.max(0, known(file));
  }

  private long known(PlannedFile file) {
    return tokens.computeIfAbsent(file.storedName(), name -> read(file));
  }

  private long read(PlannedFile file) {
    try (InputStream in = source.open(file.storedName())) {
      DumpHeader header =
          file.isImage()
              ? SnapshotFile.readHeader(in, file.storedName(), keys)
              : DumpReader.readHeader(in, file.storedName(), keys);
      return header.leaseToken();
    } catch (IOException e) {
      if (e instanceof org.periodicbackups.api.InvalidBackupException) {
        return UNKNOWN;
      }
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Drops the fenced files of {@code chain} (in order, superseded files already dropped) and names
   * each in {@code ignoredNames}.
   *
   * @param superseded for each kept file, the one it superseded at its position
   */
  void fence(
      List<PlannedFile> chain, Map<String, PlannedFile> superseded, List<String> ignoredNames) {
    long highest = 0;
    String highestName = null;
    for (int i = 0; i < chain.size(); i++) {
      PlannedFile file = chain.get(i);
      long token = known(file);
      if (token == UNKNOWN) {
        continue; // neither fenced nor fencing: restore's full read says what is wrong with it
      }
      if (token < highest) {
        ignoredNames.add(
            file.storedName()
                + " (fenced: written under lease token "
                + token
                + " after '"
                + highestName
                + "' under token "
                + highest
                + ", by a writer whose lease had been taken over)");
        chain.remove(i);
        PlannedFile beaten = superseded.remove(file.storedName());
        if (beaten != null) {
          chain.add(i, beaten);
          ignoredNames.removeIf(n -> n.startsWith(beaten.storedName() + " (superseded by "));
        }
        i--;
        continue;
      }
      highest = token;
      highestName = file.storedName();
    }
  }
}
