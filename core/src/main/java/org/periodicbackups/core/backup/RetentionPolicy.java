package org.periodicbackups.core.backup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.core.dump.BackupFileName;

/**
 * Which old chains a destination may drop: everything but the newest {@code keepChains} chains, and
 * only chains whose newest file is older than {@code minimumAge}. The chain being written is never
 * dropped, whatever the settings, and neither is any file that is not a backup file.
 *
 * @param keepChains how many of the newest chains to keep (at least 1), or null for no limit by
 *     count
 * @param minimumAge chains with a file younger than this are kept, or null for no age rule
 */
public record RetentionPolicy(Integer keepChains, Duration minimumAge) {

  public RetentionPolicy {
    if (keepChains != null && keepChains < 1) {
      throw new IllegalArgumentException("keepChains must be at least 1 but was " + keepChains);
    }
    if (minimumAge != null && minimumAge.isNegative()) {
      throw new IllegalArgumentException("minimumAge must not be negative but was " + minimumAge);
    }
  }

  /** Whether this policy ever deletes anything. */
  public boolean isActive() {
    return keepChains != null || minimumAge != null;
  }

  /**
   * The files of {@code listing} to delete, for database {@code database}, when the chain that
   * starts at {@code currentChain} is being written and the time is {@code now}.
   */
  public List<String> filesToDelete(
      List<StoredFile> listing, String database, Instant currentChain, Instant now) {
    requireNonNull(currentChain, "currentChain is null");
    if (!isActive()) {
      return List.of();
    }
    // Chain start → its files, newest chain first.
    TreeMap<Instant, List<BackupFileName>> chains = new TreeMap<>(Comparator.reverseOrder());
    Map<BackupFileName, String> storedNames = new HashMap<>();
    for (StoredFile file : listing) {
      Optional<BackupFileName> name = BackupFileName.parse(file.name());
      if (name.isPresent() && name.get().database().equals(database)) {
        chains.computeIfAbsent(name.get().chainStart(), start -> new ArrayList<>()).add(name.get());
        storedNames.put(name.get(), file.name());
      }
    }
    List<String> doomed = new ArrayList<>();
    int rank = 0;
    for (Map.Entry<Instant, List<BackupFileName>> chain : chains.entrySet()) {
      rank++;
      if (chain.getKey().equals(currentChain) || !chain.getKey().isBefore(currentChain)) {
        continue;
      }
      boolean beyondCount = keepChains == null || rank > keepChains;
      Instant newest =
          chain.getValue().stream()
              .map(BackupFileName::createdAt)
              .max(Instant::compareTo)
              .orElseThrow();
      boolean oldEnough = minimumAge == null || !newest.plus(minimumAge).isAfter(now);
      if (beyondCount && oldEnough) {
        chain.getValue().stream().sorted().map(storedNames::get).forEach(doomed::add);
      }
    }
    return doomed;
  }
}
