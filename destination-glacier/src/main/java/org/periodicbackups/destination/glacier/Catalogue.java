package org.periodicbackups.destination.glacier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.periodicbackups.api.destination.StoredFile;

/**
 * What a vault holds, by file name: a vault itself can only be listed by an inventory job that
 * takes hours and shows uploads a day late. Entries come from uploads through this instance, from
 * the status history ({@code knownArchives}) and from inventories; uploads and deletions made here
 * win over an older inventory. Thread-safe.
 */
final class Catalogue {
  /** Size unknown: the entry came with an archive id only. */
  static final long UNKNOWN_SIZE = -1;

  /**
   * One archive.
   *
   * @param archiveId Glacier's id of the archive
   * @param size its size, or {@link #UNKNOWN_SIZE}
   * @param treeHash its SHA-256 tree hash (hex), or null when unknown
   * @param creationDate when it was created (ISO-8601, sorts by time), or "" when unknown
   */
  record Entry(String archiveId, long size, String treeHash, String creationDate) {}

  private final Map<String, Entry> byName = new HashMap<>();
  private final Set<String> deletedIds = new HashSet<>();
  private boolean inventoryLoaded;

  synchronized void put(String name, Entry entry) {
    byName.put(name, entry);
    deletedIds.remove(entry.archiveId());
  }

  synchronized Optional<Entry> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Forgets {@code name} and keeps an older inventory from bringing its archive back. */
  synchronized Optional<Entry> remove(String name) {
    Entry removed = byName.remove(name);
    if (removed != null) {
      deletedIds.add(removed.archiveId());
    }
    return Optional.ofNullable(removed);
  }

  synchronized boolean inventoryLoaded() {
    return inventoryLoaded;
  }

  /**
   * Merges an inventory: per name the newest archive wins; an entry known here is kept unless the
   * inventory shows the same archive (then its size and hash complete the entry) or a newer one.
   */
  synchronized void mergeInventory(Map<String, Entry> inventory) {
    inventory.forEach(
        (name, found) -> {
          if (deletedIds.contains(found.archiveId())) {
            return;
          }
          Entry known = byName.get(name);
          if (known == null
              || known.archiveId().equals(found.archiveId())
              || (!known.creationDate().isEmpty()
                  && found.creationDate().compareTo(known.creationDate()) > 0)) {
            byName.put(name, found);
          }
        });
    inventoryLoaded = true;
  }

  /** The files whose name starts with {@code prefix}, sorted by name; unknown sizes show as 0. */
  synchronized List<StoredFile> list(String prefix) {
    List<StoredFile> files = new ArrayList<>();
    byName.forEach(
        (name, entry) -> {
          if (name.startsWith(prefix)) {
            files.add(new StoredFile(name, Math.max(0, entry.size()), entry.archiveId()));
          }
        });
    files.sort(Comparator.comparing(StoredFile::name));
    return files;
  }
}
