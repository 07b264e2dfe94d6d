package org.periodicbackups.core.restore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.lease.LeaseDocument;

/**
 * The backup files a destination lists, grouped by database and chain, each chain in sequence order
 * (a compacted file after the fine file at its first position) with superseded files dropped (see
 * {@link ChainChooser#dropSuperseded}); names that are not backup files are kept aside, for
 * messages. Lease objects ({@link LeaseDocument}) are not backup files either; they say which
 * databases were written under leases.
 */
final class Catalogue {
  private static final Comparator<PlannedFile> CHAIN_ORDER =
      Comparator.comparingInt((PlannedFile f) -> f.name().sequence())
          .thenComparingInt(f -> f.name().lastSequence())
          .thenComparing(f -> f.name().createdAt())
          .thenComparing(PlannedFile::storedName);

  /** Database → chain start → files in sequence order. */
  final Map<String, TreeMap<Instant, List<PlannedFile>>> databases = new TreeMap<>();

  final List<String> ignoredNames = new ArrayList<>();

  /** Databases with a lease object: their files' headers carry fencing tokens. */
  final Set<String> leased = new TreeSet<>();

  /** For each kept file that superseded another at its position, the one it superseded. */
  final Map<String, PlannedFile> superseded = new HashMap<>();

  /**
   * A sign that two writers backed up {@code database} here at the same time, for a warning: an
   * older chain that got a file after a newer chain had been continued (a killed full backup leaves
   * a newer chain of one file, which is not such a sign). Empty where a lease object keeps one
   * writer per chain, or when the chains follow one another.
   */
  Optional<String> twoWriters(String database) {
    TreeMap<Instant, List<PlannedFile>> chains = databases.get(database);
    if (chains == null || leased.contains(database)) {
      return Optional.empty();
    }
    List<List<PlannedFile>> ordered = new ArrayList<>(chains.values());
    for (int later = 1; later < ordered.size(); later++) {
      List<PlannedFile> newer = ordered.get(later);
      if (newer.size() < 2) {
        continue;
      }
      Instant continued = newer.get(1).name().createdAt();
      for (int earlier = 0; earlier < later; earlier++) {
        for (PlannedFile file : ordered.get(earlier)) {
          if (file.name().createdAt().isAfter(continued)) {
            return Optional.of(
                "backups of database '"
                    + database
                    + "' look written by two writers at once: '"
                    + file.storedName()
                    + "' was added to an older chain after '"
                    + newer.get(1).storedName()
                    + "' continued a newer one; restore picks one chain and the other"
                    + " writer's changes are not in it. Only destinations with conditional"
                    + " writes keep one writer per chain (README, \"Several nodes\")");
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Groups a listing. Names of the form {@code <chain>/<file>} (a destination pointed at one
   * database's folder) count as files of {@code assumedDatabase}, when one is given.
   */
  static Catalogue of(List<StoredFile> listing, String assumedDatabase) {
    Catalogue catalogue = new Catalogue();
    for (StoredFile stored : listing) {
      if (!StoredNames.isSafe(stored.name())) {
        // Only the last segments make a backup file name, so '../x/shop/…' would parse; a
        // listing is remote input and such a name is never opened, whatever the destination.
        catalogue.ignoredNames.add(stored.name() + " (not a safe relative name)");
        continue;
      }
      if (LeaseDocument.isLeaseName(stored.name())) {
        int slash = stored.name().lastIndexOf('/');
        String database = slash < 0 ? assumedDatabase : stored.name().substring(0, slash);
        if (database != null) {
          catalogue.leased.add(database.substring(database.lastIndexOf('/') + 1));
        }
        continue;
      }
      Optional<BackupFileName> name = BackupFileName.parse(stored.name());
      if (name.isEmpty() && assumedDatabase != null) {
        name = BackupFileName.parseInDatabaseFolder(assumedDatabase, stored.name());
      }
      if (name.isEmpty()) {
        catalogue.ignoredNames.add(stored.name());
        continue;
      }
      BackupFileName n = name.get();
      catalogue
          .databases
          .computeIfAbsent(n.database(), d -> new TreeMap<>())
          .computeIfAbsent(n.chainStart(), c -> new ArrayList<>())
          .add(new PlannedFile(stored.name(), n, stored.size()));
    }
    catalogue
        .databases
        .values()
        .forEach(
            chains ->
                chains
                    .values()
                    .forEach(
                        files -> {
                          files.sort(CHAIN_ORDER);
                          ChainChooser.dropSuperseded(
                              files, catalogue.ignoredNames, catalogue.superseded);
                        }));
    return catalogue;
  }
}
