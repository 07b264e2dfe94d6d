package org.periodicbackups.core.restore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.core.dump.BackupFileName;

/**
 * The backup files a destination lists, grouped by database and chain, each chain in sequence order
 * with superseded files dropped (see {@link ChainChooser#dropSuperseded}); names that are not
 * backup files are kept aside, for messages.
 */
final class Catalogue {
  private static final Comparator<PlannedFile> CHAIN_ORDER =
      Comparator.comparingInt((PlannedFile f) -> f.name().sequence())
          .thenComparing(f -> f.name().createdAt())
          .thenComparing(PlannedFile::storedName);

  /** Database → chain start → files in sequence order. */
  final Map<String, TreeMap<Instant, List<PlannedFile>>> databases = new TreeMap<>();

  final List<String> ignoredNames = new ArrayList<>();

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
                          ChainChooser.dropSuperseded(files, catalogue.ignoredNames);
                        }));
    return catalogue;
  }
}
