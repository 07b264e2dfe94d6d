package org.periodicbackups.core.scheduler;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.periodicbackups.api.source.ChangeSource;

/**
 * Whether the Periodic Backups bundle is active for a database, as in the original: the setting
 * {@value #ACTIVE_BUNDLES_SETTING} (a {@code ;}-separated list, entries trimmed and compared
 * without case) names {@value #BUNDLE_NAME} or one of its older names {@code PeriodicBackup} and
 * {@code PeriodicExport}, either in the global configuration (every database) or in the database's
 * own settings. A database without the bundle is never backed up on a schedule, even if it has a
 * setup document.
 *
 * <p>Immutable and thread-safe.
 */
public final class BundleActivation {
  /** The setting that lists the active bundles. */
  public static final String ACTIVE_BUNDLES_SETTING = "Raven/ActiveBundles";

  /** The bundle's name. */
  public static final String BUNDLE_NAME = "PeriodicBackups";

  private static final Set<String> NAMES =
      Set.of("periodicbackups", "periodicbackup", "periodicexport");

  private final boolean global;

  /**
   * Activation with a global configuration; only its {@value #ACTIVE_BUNDLES_SETTING} entry (key
   * compared without case) matters.
   */
  public BundleActivation(Map<String, String> globalSettings) {
    requireNonNull(globalSettings, "globalSettings is null");
    this.global =
        globalSettings.entrySet().stream()
            .filter(entry -> ACTIVE_BUNDLES_SETTING.equalsIgnoreCase(entry.getKey()))
            .anyMatch(entry -> listsBundle(entry.getValue()));
  }

  /** No global configuration: each database decides with its own setting. */
  public static BundleActivation perDatabase() {
    return new BundleActivation(Map.of());
  }

  /** Active for every database. */
  public static BundleActivation everywhere() {
    return new BundleActivation(Map.of(ACTIVE_BUNDLES_SETTING, BUNDLE_NAME));
  }

  /** Whether the global configuration activates the bundle for every database. */
  public boolean isGloballyActive() {
    return global;
  }

  /** Whether {@code source} has the bundle, globally or through its own setting. */
  public boolean isActiveFor(ChangeSource source) throws IOException {
    if (global) {
      return true;
    }
    Optional<String> own = source.setting(ACTIVE_BUNDLES_SETTING);
    return own.isPresent() && listsBundle(own.get());
  }

  /** Whether a {@value #ACTIVE_BUNDLES_SETTING} value names this bundle (or an older name). */
  public static boolean listsBundle(String activeBundles) {
    if (activeBundles == null) {
      return false;
    }
    for (String entry : activeBundles.split(";")) {
      if (NAMES.contains(entry.strip().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return global ? "BundleActivation[global]" : "BundleActivation[per database]";
  }
}
