package org.periodicbackups.core.backup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.restore.PlannedFile;

/**
 * What compaction merges and what it removes (docs/DESIGN.md, "Continuous backup and compaction"):
 * level {@code L} merges the files of lower levels created in one ended window of {@code
 * windows[L-1]} (windows aligned on the epoch, so each lies inside one window of every coarser
 * level); the files a compacted file covers are removed once older than {@code keep[their level]}.
 * Decides from names only.
 *
 * @param windows the window of each level, finest first; empty for no compaction
 * @param keep for each level below the last, how long its files are kept once merged, then the same
 *     for the last level's (unused: nothing merges them)
 */
record CompactionPolicy(List<Duration> windows, List<Duration> keep) {
  /** Checks the lists. */
  CompactionPolicy {
    windows = List.copyOf(windows);
    keep = List.copyOf(keep);
    if (keep.size() != windows.size()) {
      throw new IllegalArgumentException(
          keep.size() + " keep durations for " + windows.size() + " windows");
    }
  }

  /** The setup's policy. */
  static CompactionPolicy of(PeriodicBackupSetup setup) {
    return new CompactionPolicy(setup.compactionWindows(), setup.compactionKeep());
  }

  /** Whether the setup asks for compaction. */
  boolean isActive() {
    return !windows.isEmpty();
  }

  /**
   * How often a compaction step runs: once per finest window, which closes one group a window, so
   * that a step's listings (one request per 1,000 files on S3) stay few.
   */
  Duration stepInterval() {
    return windows.get(0);
  }

  /**
   * Files of {@code path} (a chain's restore path, its full first) that one compacted file of
   * {@code level} merges.
   */
  record Group(int level, List<PlannedFile> files) {
    Group {
      files = List.copyOf(files);
    }

    PlannedFile first() {
      return files.get(0);
    }

    PlannedFile last() {
      return files.get(files.size() - 1);
    }
  }

  /**
   * The next files to merge: of the lowest level that has any, the oldest run of at least two
   * consecutive incrementals of {@code path} of lower levels that were created in one window of
   * that level which ended by {@code now}.
   */
  Optional<Group> nextGroup(List<PlannedFile> path, Instant now) {
    requireNonNull(path, "path is null");
    for (int level = 1; level <= windows.size(); level++) {
      long window = windows.get(level - 1).toMillis();
      List<PlannedFile> run = new ArrayList<>();
      long runWindow = Long.MIN_VALUE;
      for (PlannedFile file : path) {
        BackupFileName name = file.name();
        long at = Math.floorDiv(name.createdAt().toEpochMilli(), window);
        boolean fits = name.type() == BackupType.INCREMENTAL && name.level() < level;
        if (!fits || at != runWindow) {
          if (closed(run, runWindow, window, now)) {
            return Optional.of(new Group(level, run));
          }
          run = new ArrayList<>();
          runWindow = fits ? at : Long.MIN_VALUE;
        }
        if (fits) {
          run.add(file);
        }
      }
      if (closed(run, runWindow, window, now)) {
        return Optional.of(new Group(level, run));
      }
    }
    return Optional.empty();
  }

  private static boolean closed(List<PlannedFile> run, long runWindow, long window, Instant now) {
    return run.size() >= 2 && (runWindow + 1) * window <= now.toEpochMilli();
  }

  /**
   * The files of {@code chain} (one chain in chain order) that compaction may remove at {@code
   * now}: each covered by a compacted file of a higher level in {@code chain} and older than the
   * keep duration of its own level; oldest first.
   */
  List<PlannedFile> filesToRemove(List<PlannedFile> chain, Instant now) {
    List<PlannedFile> doomed = new ArrayList<>();
    for (PlannedFile file : chain) {
      BackupFileName name = file.name();
      if (name.type() != BackupType.INCREMENTAL || name.level() >= keep.size()) {
        continue;
      }
      if (name.createdAt().plus(keep.get(name.level())).isAfter(now)) {
        continue;
      }
      if (coveringFile(chain, name).isPresent()) {
        doomed.add(file);
      }
    }
    return doomed;
  }

  /** A compacted file of {@code chain} of a higher level than {@code name} that covers it. */
  static Optional<PlannedFile> coveringFile(List<PlannedFile> chain, BackupFileName name) {
    return chain.stream()
        .filter(c -> c.name().level() > name.level())
        .filter(c -> c.name().sequence() <= name.sequence())
        .filter(c -> c.name().lastSequence() >= name.lastSequence())
        .findFirst();
  }
}
