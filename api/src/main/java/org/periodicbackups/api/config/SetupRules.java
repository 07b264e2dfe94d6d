package org.periodicbackups.api.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The value rules of {@link PeriodicBackupSetup}: each adds one sentence per problem, naming the
 * field, the bad value and the rule, so that the setup reports every problem at once.
 */
final class SetupRules {
  /** The highest {@code CompressionLevel} per codec; the dump codecs in core check the same. */
  private static final Map<String, Integer> MAX_LEVELS = Map.of("gzip", 9, "zstd", 19);

  private SetupRules() {}

  static void encryption(String encryption, List<String> problems) {
    if (encryption != null
        && !encryption.equals(PeriodicBackupSetup.ENCRYPTION_REQUIRED)
        && !encryption.equals(PeriodicBackupSetup.ENCRYPTION_NONE)) {
      problems.add(
          "Encryption: '"
              + encryption
              + "' is not known; use "
              + PeriodicBackupSetup.ENCRYPTION_REQUIRED
              + " (require encryption), "
              + PeriodicBackupSetup.ENCRYPTION_NONE
              + " (never encrypt), or leave it out"
              + " (encrypt when the database has an encryption key)");
    }
  }

  /** The canonical spelling of a known {@code BackupType} (any case), else the value as given. */
  static String backupType(String backupType) {
    if (backupType == null) {
      return PeriodicBackupSetup.BACKUP_TYPE_BACKUP;
    }
    for (String known :
        List.of(PeriodicBackupSetup.BACKUP_TYPE_BACKUP, PeriodicBackupSetup.BACKUP_TYPE_SNAPSHOT)) {
      if (known.equalsIgnoreCase(backupType)) {
        return known;
      }
    }
    return backupType;
  }

  static void backupType(String backupType, List<String> problems) {
    if (!backupType.equals(PeriodicBackupSetup.BACKUP_TYPE_BACKUP)
        && !backupType.equals(PeriodicBackupSetup.BACKUP_TYPE_SNAPSHOT)) {
      problems.add(
          "BackupType: '"
              + backupType
              + "' is not known; use "
              + PeriodicBackupSetup.BACKUP_TYPE_BACKUP
              + " (logical exports, the default) or "
              + PeriodicBackupSetup.BACKUP_TYPE_SNAPSHOT
              + " (full backups as physical images of the database)");
    }
  }

  static void positiveMilliseconds(String field, Long value, List<String> problems) {
    if (value != null && value <= 0) {
      problems.add(
          field
              + ": "
              + value
              + " is not allowed; it must be a positive number of"
              + " milliseconds (for example 3600000 for one hour)");
    }
  }

  static void lease(Long durationMilliseconds, Long waitMilliseconds, List<String> problems) {
    if (durationMilliseconds != null
        && durationMilliseconds < PeriodicBackupSetup.MINIMUM_LEASE_DURATION_MILLISECONDS) {
      problems.add(
          "LeaseDurationMilliseconds: "
              + durationMilliseconds
              + " is not allowed; a lease lasts at least "
              + PeriodicBackupSetup.MINIMUM_LEASE_DURATION_MILLISECONDS
              + " milliseconds (default "
              + PeriodicBackupSetup.DEFAULT_LEASE_DURATION_MILLISECONDS
              + ")");
    }
    if (waitMilliseconds != null && waitMilliseconds < 0) {
      problems.add(
          "LeaseWaitMilliseconds: "
              + waitMilliseconds
              + " is not allowed; it is 0 (fail at once when another writer holds the lease)"
              + " or a positive number of milliseconds to wait for it");
    }
  }

  static void compaction(List<Long> windows, List<Long> keep, List<String> problems) {
    if (windows == null) {
      if (keep != null) {
        problems.add(
            "CompactionKeepMilliseconds: given without CompactionMilliseconds; set the windows of"
                + " the compaction levels too, for example [60000, 3600000]");
      }
      return;
    }
    if (windows.size() > PeriodicBackupSetup.MAX_COMPACTION_LEVELS) {
      problems.add(
          "CompactionMilliseconds: "
              + windows.size()
              + " levels are too many; at most "
              + PeriodicBackupSetup.MAX_COMPACTION_LEVELS);
    }
    Long before = null;
    for (Long window : windows) {
      if (window == null || window < PeriodicBackupSetup.MINIMUM_COMPACTION_MILLISECONDS) {
        problems.add(
            "CompactionMilliseconds: "
                + window
                + " is not allowed; each window is at least "
                + PeriodicBackupSetup.MINIMUM_COMPACTION_MILLISECONDS
                + " milliseconds (for example [60000, 3600000]: per minute, then per hour)");
        return;
      }
      if (before != null && (window <= before || window % before != 0)) {
        problems.add(
            "CompactionMilliseconds: "
                + window
                + " is not a multiple of the window before it ("
                + before
                + "); each level merges whole windows of the level below");
      }
      before = window;
    }
    if (keep != null) {
      if (keep.size() != windows.size()) {
        problems.add(
            "CompactionKeepMilliseconds: "
                + keep.size()
                + " value(s) for "
                + windows.size()
                + " compaction level(s); give one per level");
      } else if (keep.stream().anyMatch(k -> k == null || k < 0)) {
        problems.add(
            "CompactionKeepMilliseconds: "
                + keep
                + " is not allowed; each is 0 or a positive number of milliseconds");
      }
    }
  }

  static void maxFilesPerHour(Integer cap, List<String> problems) {
    if (cap != null && (cap < 1 || cap > 3_600_000)) {
      problems.add(
          "MaxFilesPerHour: "
              + cap
              + " is not allowed; it is 1 to 3600000 (for example 3600 for one file a second)");
    }
  }

  static void retention(Integer keepChains, Long minimumAgeMilliseconds, List<String> problems) {
    if (keepChains != null && keepChains < 1) {
      problems.add(
          "RetentionKeepChains: "
              + keepChains
              + " is not allowed; keep at least"
              + " 1 chain (the one being written), or leave it out to keep every chain");
    }
    if (minimumAgeMilliseconds != null && minimumAgeMilliseconds < 0) {
      problems.add(
          "RetentionMinimumAgeMilliseconds: "
              + minimumAgeMilliseconds
              + " is not allowed; it must be 0 or a positive number of milliseconds");
    }
  }

  static void compression(String compression, Integer level, List<String> problems) {
    Integer maxLevel = MAX_LEVELS.get(compression);
    if (maxLevel == null) {
      problems.add("Compression: '" + compression + "' is not known; use gzip or zstd");
    } else if (level != null && (level < 1 || level > maxLevel)) {
      problems.add(
          "CompressionLevel: "
              + level
              + " is not allowed for "
              + compression
              + "; it must be 1 (fastest) to "
              + maxLevel);
    }
  }

  static void region(String region, List<String> problems) {
    if (!region.matches("[a-z0-9-]+")) {
      problems.add(
          "AwsRegionEndpoint: '"
              + region
              + "' is not an AWS region name such as us-east-1 or eu-west-1");
    }
  }

  static void providerNames(Collection<String> names, List<String> problems) {
    for (String provider : names) {
      if (provider == null || provider.isBlank()) {
        problems.add("Destinations: a provider name is blank");
      }
    }
  }
}
