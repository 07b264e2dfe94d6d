package org.periodicbackups.core.restore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.core.dump.BackupFileName;

/** The backup files a destination lists, grouped by database and chain. */
final class Catalogue {
  private static final Comparator<PlannedFile> CHAIN_ORDER = Comparator
      .comparingInt((PlannedFile f) -> f.name().sequence())
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
      catalogue.databases.computeIfAbsent(n.database(), d -> new TreeMap<>())
          .computeIfAbsent(n.chainStart(), c -> new ArrayList<>())
          .add(new PlannedFile(stored.name(), n, stored.size()));
    }
    catalogue.databases.values().forEach(chains -> chains.values().forEach(files -> {
      files.sort(CHAIN_ORDER);
      catalogue.dropSuperseded(files);
    }));
    return catalogue;
  }

  /**
   * Keeps, for each sequence number, only the newest file. An older one with the same sequence
   * was uploaded by a run whose status write never happened (a crash or failure after the
   * upload); the next run wrote that position again, and later files continue from the newer
   * one. Verification still checks every link, so a wrong choice cannot pass silently.
   */
  private void dropSuperseded(List<PlannedFile> files) {
    for (int i = files.size() - 1; i > 0; i--) {
      if (files.get(i - 1).name().sequence() == files.get(i).name().sequence()) {
        ignoredNames.add(files.remove(i - 1).storedName() + " (superseded by '"
            + files.get(i - 1).storedName() + "')");
      }
    }
  }

  /**
   * Checks that {@code files} (one chain, in order, superseded files dropped) are sequence 0, 1,
   * 2, … without gap, naming the missing position.
   */
  static void requireContiguous(List<PlannedFile> files) throws InvalidBackupException {
    for (int i = 0; i < files.size(); i++) {
      BackupFileName name = files.get(i).name();
      if (name.sequence() == i) {
        continue;
      }
      String chain = name.chainFolder();
      if (i == 0) {
        throw new InvalidBackupException(chain + "/000000-*.full.json.gz", "the chain has no"
            + " full backup (sequence 000000), so it cannot be restored; its first file is '"
            + files.get(0).storedName() + "'");
      }
      String before = files.get(i - 1).storedName();
      throw new InvalidBackupException(String.format("%s/%06d-*.incremental.json.gz", chain, i),
          "the file with sequence " + String.format("%06d", i) + " is missing from chain "
              + chain + " (between '" + before + "' and '" + files.get(i).storedName()
              + "'); restore up to '" + before + "' with an until-file, or find the missing file");
    }
  }
}
