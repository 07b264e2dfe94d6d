package org.periodicbackups.core.backup;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.ObjectLocks;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.core.dump.BackupFileName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chain-aware Object Lock: no file of a chain may be unlocked while a later file of the chain is
 * still locked, since a restore needs all of them. Every upload to a destination with {@link
 * ObjectLocks} is locked by the destination until {@link ObjectLocks#retainUntil} of its upload
 * time; before it, the files already in the chain are extended to that date. Retain-until dates are
 * whole days, so this costs one request per chain file once a day, not at every upload (see
 * docs/DESIGN.md, "Cold and immutable storage").
 */
final class ChainLocks {
  private static final Logger log = LoggerFactory.getLogger(ChainLocks.class);

  private ChainLocks() {}

  /**
   * Before {@code name} is uploaded to {@code destination} at {@code now}: extends the lock of
   * every file already in its chain to the date the new file will get. The newest of them (by the
   * creation time in its name) was uploaded with, and left every other file at, a date no earlier
   * than the one its own creation time gives; when that date is the new one, nothing is sent.
   */
  static void beforeUpload(BackupDestination destination, BackupFileName name, Instant now)
      throws IOException {
    Optional<ObjectLocks> found = destination.objectLocks();
    if (found.isEmpty()) {
      return;
    }
    ObjectLocks locks = found.get();
    Instant until = locks.retainUntil(now);
    String chainFolder = name.chainFolder() + "/";
    List<String> chain = new ArrayList<>();
    Instant newest = null;
    for (StoredFile file : destination.list(chainFolder)) {
      Optional<BackupFileName> parsed = BackupFileName.parse(file.name());
      if (parsed.isEmpty() || file.name().equals(name.path())) {
        continue;
      }
      chain.add(file.name());
      Instant created = parsed.get().createdAt();
      newest = newest == null || created.isAfter(newest) ? created : newest;
    }
    if (newest == null || !locks.retainUntil(newest).isBefore(until)) {
      return;
    }
    for (String file : chain) {
      locks.extend(file, until);
    }
    log.info(
        "extended the {} lock of {} file(s) of chain {} at {} to {}, the date of {}",
        locks.mode(),
        chain.size(),
        chainFolder,
        destination.description(),
        until,
        name.fileName());
  }

  /**
   * Deletes {@code name} unless it is still locked at {@code now}; returns the date it stays locked
   * until, or empty once deleted. {@code known} remembers dates already read, so that a file kept
   * run after run costs no request until its date.
   */
  static Optional<Instant> deleteUnlessLocked(
      BackupDestination destination, String name, Instant now, Map<String, Instant> known)
      throws IOException {
    Optional<ObjectLocks> locks = destination.objectLocks();
    if (locks.isPresent()) {
      String key = destination.description() + "\n" + name;
      Instant until = known.get(key);
      if (until == null || !until.isAfter(now)) {
        until = locks.get().lockedUntil(name).orElse(null);
      }
      if (until != null && until.isAfter(now)) {
        known.put(key, until);
        return Optional.of(until);
      }
      known.remove(key);
    }
    destination.delete(name);
    return Optional.empty();
  }
}
